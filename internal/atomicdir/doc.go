// Package atomicdir writes a directory of files atomically: readers see
// either the previous directory, whole, or the new one, whole, never a
// mixture or a partial directory, and a write that is interrupted (by a
// cancelled context, an I/O error or a killed process) leaves the previous
// directory as it was.
//
// It is the one place backlogsim's outputs reach the file system: the
// command line renders every file in memory first and hands the set to
// Write.
package atomicdir
