// Package ascii compares configuration keys as hypervisors do: ignoring
// the case of ASCII letters only.
package ascii

// EqualFold reports whether s and t are equal ignoring the case of ASCII
// letters only, as hypervisors compare configuration keys (Unicode case
// folding would, say, match the Kelvin sign with k).
func EqualFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
