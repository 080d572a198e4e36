package scenarios

// suggest returns the known key closest to the unknown key k, if one is
// close enough to be a likely typo: at most one edit for keys of up to four
// characters, two for longer ones. Ties go to the first in sorted order.
func suggest(k string, known map[string]bool) string {
	limit := 1
	if len(k) > 4 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, cand := range sortedKeys(known) {
		if d := editDistance(k, cand); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b:
// the number of insertions, deletions, substitutions and transpositions of
// adjacent bytes that turn a into b.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 64
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
