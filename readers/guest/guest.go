// Package guest reads generation-ID evidence pasted from inside a guest or
// from QEMU, for comparison with a source configuration.
//
// Accepted, detected by content:
//
//   - VMGENID.EXE or getvmgenid output: "low:high" in hex without zero
//     padding, bare or after a label ("VmCounterValue: low:high");
//   - the 16 guest bytes as hexdump -C, xxd or plain hex (as the Linux
//     /dev/mem recipe of docs/byte-order.md prints them);
//   - QMP query-vm-generation-id JSON, {"return":{"guid":…}} or {"guid":…}:
//     the host's view, in the QEMU convention;
//   - Active Directory's msDS-GenerationId, in hex, LDIF base64
//     ("msDS-GenerationId:: JSmjX9xXWHs=") or PowerShell's decimal bytes
//     (Get-ADObject … -Properties msDS-GenerationId prints
//     "{37, 41, 163, …}"). The AD schema gives the attribute 16 bytes
//     (ms-DS-Generation-Id: Range-Lower and Range-Upper 16); a recorded
//     observation (tksh164/get-vm-generation-id) shows its first 8 bytes
//     equal to G[0:8]. 16 bytes are compared whole, in guest-memory order
//     (assumed for the second half, which no observation here confirms);
//     8 bytes, as some tools show, only as the low half.
package guest

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Kind names the form of the evidence.
type Kind string

// Forms of evidence.
const (
	Windows    Kind = "windows"    // VMGENID.EXE / getvmgenid low:high
	GuestBytes Kind = "bytes"      // the 16 bytes (hexdump, xxd, plain hex)
	QMP        Kind = "qmp"        // query-vm-generation-id: the host's view
	AD         Kind = "ad-partial" // msDS-GenerationId: the low 8 bytes only
	ADFull     Kind = "ad"         // msDS-GenerationId: 16 bytes
)

// Evidence is what a guest (or QEMU) showed.
type Evidence struct {
	Kind    Kind
	ID      genid.ID // for AD, only the first 8 bytes are meaningful
	Partial bool     // only ID[0:8] is known
}

// MaxSize is the largest text accepted.
const MaxSize = 1 << 20

// The patterns of guest evidence, compiled when first used rather than at
// every start of the program.
var (
	windowsRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)(?:^|[\s:=])([0-9a-f]{1,16}):([0-9a-f]{1,16})\s*$`)
	})
	ldifRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)msDS-GenerationId::\s*([A-Za-z0-9+/=]+)`) })
	decimalRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{?\s*\d{1,3}(\s*,\s*\d{1,3})*\s*\}?$`) })
	halfRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^(?:[a-z ]*[:=]\s*)?([0-9a-f]{9,16}):?$`) })
)

// Parse reads evidence from text. Errors are [*genid.InputError] values,
// with the line of the text at fault where there is one; the caller names
// where the text came from ([genid.WithFile]).
func Parse(text string) (*Evidence, error) {
	if len(text) > MaxSize {
		return nil, &genid.InputError{Err: fmt.Errorf("guest evidence longer than %d bytes", MaxSize)}
	}
	text = strings.TrimPrefix(text, "\ufeff")
	t := strings.TrimSpace(text)
	if t == "" {
		return nil, &genid.InputError{Err: errors.New("no guest evidence: the text is empty")}
	}
	// Lines are numbered in the text as given, leading blank lines included.
	first := 1 + strings.Count(text[:strings.Index(text, t)], "\n")
	if b, ok := decimalBytes(t); ok {
		return ad(b), nil
	}
	if strings.HasPrefix(t, "{") {
		ev, err := parseQMP(t)
		if err != nil {
			return nil, &genid.InputError{Line: first, Err: err}
		}
		return ev, nil
	}
	if m := ldifRe().FindStringSubmatchIndex(t); m != nil {
		v := t[m[2]:m[3]]
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != 8 && len(b) != 16 {
			return nil, &genid.InputError{Line: first + strings.Count(t[:m[0]], "\n"), Key: "msDS-GenerationId", Err: fmt.Errorf("%q: want 16 bytes (or 8) in base64", v)}
		}
		return ad(b), nil
	}
	lines := strings.Split(strings.ReplaceAll(t, "\r\n", "\n"), "\n")
	// VMGENID.EXE: the last line that ends in low:high.
	for i := len(lines) - 1; i >= 0; i-- {
		if m := windowsRe().FindStringSubmatch(strings.TrimSpace(lines[i])); m != nil && !strings.Contains(lines[i], "|") {
			id, err := genid.ParseWindows(m[1] + ":" + m[2])
			if err != nil {
				return nil, &genid.InputError{Line: first + i, Err: err}
			}
			return &Evidence{Kind: Windows, ID: id}, nil
		}
	}
	if m := halfRe().FindStringSubmatch(t); m != nil && !strings.Contains(t, "\n") {
		return nil, &genid.InputError{Line: first, Err: fmt.Errorf("%q is one 64-bit number; VMGENID.EXE prints two, low:high (such as 8987940a09512cc5:e81510634ff550b9): paste the whole line", m[1])}
	}
	b, err := hexBytes(lines)
	if err != nil {
		return nil, &genid.InputError{Err: err}
	}
	switch len(b) {
	case 16:
		return &Evidence{Kind: GuestBytes, ID: genid.ID(b)}, nil
	case 8:
		return partial(b), nil
	}
	return nil, &genid.InputError{Err: fmt.Errorf("found %d bytes of hex; the guest's generation ID is 16 bytes (msDS-GenerationId 8)", len(b))}
}

// ad is msDS-GenerationId's value: whole when it has 16 bytes.
func ad(b []byte) *Evidence {
	if len(b) == 16 {
		return &Evidence{Kind: ADFull, ID: genid.ID(b)}
	}
	return partial(b)
}

// decimalBytes reads PowerShell's rendering of a byte array: one decimal
// per line, or "{37, 41, …}" after an optional "msDS-GenerationId :"
// label; 8 or 16 bytes.
func decimalBytes(t string) ([]byte, bool) {
	if i := strings.Index(strings.ToLower(t), "msds-generationid"); i >= 0 {
		rest := t[i+len("msds-generationid"):]
		rest = strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(rest, ":") {
			return nil, false
		}
		t = strings.TrimSpace(rest[1:])
	}
	flat := strings.Join(strings.Fields(strings.ReplaceAll(t, "\n", ", ")), " ")
	if !decimalRe().MatchString(flat) {
		return nil, false
	}
	var out []byte
	for _, f := range strings.FieldsFunc(flat, func(r rune) bool { return r == ',' || r == ' ' || r == '{' || r == '}' }) {
		n := 0
		for _, c := range f {
			n = n*10 + int(c-'0')
		}
		if n > 255 {
			return nil, false
		}
		out = append(out, byte(n))
	}
	if len(out) != 8 && len(out) != 16 {
		return nil, false
	}
	return out, true
}

func partial(b []byte) *Evidence {
	var id genid.ID
	copy(id[:8], b)
	return &Evidence{Kind: AD, ID: id, Partial: true}
}

func parseQMP(t string) (*Evidence, error) {
	var v struct {
		Return *struct {
			GUID string `json:"guid"`
		} `json:"return"`
		GUID string `json:"guid"`
	}
	if err := json.Unmarshal([]byte(t), &v); err != nil {
		return nil, fmt.Errorf("JSON evidence: %v", err)
	}
	g := v.GUID
	if v.Return != nil {
		g = v.Return.GUID
	}
	if g == "" {
		return nil, errors.New(`JSON evidence has no "guid" (want query-vm-generation-id output)`)
	}
	id, err := genid.ParseGUID(g)
	if err != nil {
		return nil, err
	}
	return &Evidence{Kind: QMP, ID: id}, nil
}

// hexBytes collects hex bytes from hexdump -C, xxd or plain hex lines. A
// line that starts with an offset contributes the hex groups after it (up
// to xxd's ASCII column); a line of nothing but hex contributes all of it;
// other lines (dd's "16 bytes copied", prompts) are skipped.
func hexBytes(lines []string) ([]byte, error) {
	var all []byte
	dump := false // seen a line with an offset: other lines are not data
	for _, l := range lines {
		if i := strings.IndexByte(l, '|'); i >= 0 { // hexdump -C ASCII column
			l = l[:i]
		}
		fields := strings.Fields(strings.ReplaceAll(l, ",", " "))
		if len(fields) > 1 && strings.HasSuffix(fields[0], ":") && !isHex(strings.TrimSuffix(fields[0], ":")) {
			fields = fields[1:] // a label such as "msDS-GenerationId:"
		}
		if len(fields) == 0 {
			continue
		}
		if first := strings.TrimSuffix(fields[0], ":"); len(fields) > 1 && len(first) >= 4 && isHex(first) &&
			(strings.HasSuffix(fields[0], ":") || len(first) >= 7) {
			for _, f := range fields[1:] {
				if len(f) > 8 || len(f)%2 != 0 || !isHex(f) {
					break // xxd's ASCII column
				}
				b, _ := hex.DecodeString(f)
				all = append(all, b...)
			}
			dump = true
			continue
		}
		if dump {
			continue // hexdump's closing offset line
		}
		var line []byte
		ok := true
		for _, f := range fields {
			f = strings.TrimPrefix(strings.TrimPrefix(f, "0x"), "0X")
			if len(f)%2 != 0 || !isHex(f) {
				ok = false
				break
			}
			b, _ := hex.DecodeString(f)
			line = append(line, b...)
		}
		if ok {
			all = append(all, line...)
		}
	}
	if len(all) == 0 {
		return nil, errors.New("no guest evidence found: want VMGENID.EXE output (low:high), the 16 bytes in hex (hexdump -C, xxd), query-vm-generation-id JSON or msDS-GenerationId")
	}
	return all, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s + s[:len(s)%2])
	return err == nil && s != ""
}
