package main

import (
	"encoding"
	"errors"
	"flag"
	"fmt"
	"io"
)

// errHelp reports that -h was asked for and the usage has been printed.
var errHelp = flag.ErrHelp

// parseFlags parses args with fs, accepting flags before, between and after
// positional arguments, and returns the positional arguments in order.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, checkNotEmpty(fs)
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), checkNotEmpty(fs)
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// atMostOne returns the single positional argument, def if there is none,
// or a usage error.
func atMostOne(positional []string, def string) (string, error) {
	switch len(positional) {
	case 0:
		return def, nil
	case 1:
		return positional[0], nil
	}
	return "", usageError{fmt.Errorf("expected at most one scenario, got %d: %q", len(positional), positional)}
}

// checkNotEmpty refuses a flag given an empty value, such as --paths= or
// --seed "": the text flags read the empty text as "unset", which is their
// default, so it would otherwise be silently ignored.
func checkNotEmpty(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		if _, isText := g.Get().(encoding.TextMarshaler); isText && err == nil && f.Value.String() == "" {
			err = usageError{fmt.Errorf("invalid value \"\" for flag -%s: want a value", f.Name)}
		}
	})
	return err
}
