package textsafe

import "testing"

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"dc01":              "dc01",
		"Контроллер домена": "Контроллер домена",
		"dc01\x1b[2J":       `"dc01\x1b[2J"`,
		"a\rforged line":    `"a\rforged line"`,
		"bad\xff":           `"bad\xff"`,
		"two\nlines":        `"two\nlines"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestControls(t *testing.T) {
	for in, want := range map[string]string{
		"a: b\n  c\td":       "a: b\n  c\td",
		"name \x1b[2J here":  `name \x1b[2J here`,
		"x\ry":               `x\ry`,
		"bad \xff byte\n ok": "bad \\xff byte\n ok",
	} {
		if got := Controls(in); got != want {
			t.Errorf("Controls(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPathKeepsNamesApart(t *testing.T) {
	names := []string{"a\xff.vmx", "a\xfe.vmx", `a\xff.vmx`, "a\ufffd.vmx", "plain/dc01.vmx"}
	seen := map[string]string{}
	for _, n := range names {
		p := Path(n)
		if other, dup := seen[p]; dup {
			t.Errorf("%q and %q both become %q", n, other, p)
		}
		seen[p] = n
	}
	if Path("plain/dc01.vmx") != "plain/dc01.vmx" {
		t.Error("a plain path changed")
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-2":                "'-2",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               `\tx`, // escaped first: no longer a tab
		"a\nb\x1b":          `a\nb\x1b`,
		"dc01":              "dc01",
		"":                  "",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}
