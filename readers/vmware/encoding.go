package vmware

import (
	"strings"
	"unicode/utf8"
)

// decoderFor returns a function converting values in the named .encoding to
// UTF-8, and whether the encoding is one the reader converts.
func decoderFor(name string) (func(string) string, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return validUTF8, true
	case "windows-1252", "cp1252":
		return func(s string) string { return singleByte(s, &cp1252) }, true
	case "iso-8859-1", "latin1", "iso8859-1":
		return func(s string) string { return singleByte(s, nil) }, true
	}
	return validUTF8, false
}

func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// singleByte converts a single-byte encoding; high, if non-nil, maps
// 0x80–0x9F (windows-1252 differs from ISO-8859-1 only there).
func singleByte(s string, high *[32]rune) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		r := rune(c)
		if high != nil && c >= 0x80 && c <= 0x9f {
			r = high[c-0x80]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cp1252 maps windows-1252 bytes 0x80–0x9F; undefined bytes map to U+FFFD.
var cp1252 = [32]rune{
	'€', utf8.RuneError, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', utf8.RuneError, 'Ž', utf8.RuneError,
	utf8.RuneError, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', utf8.RuneError, 'ž', 'Ÿ',
}
