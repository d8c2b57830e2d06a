package edit

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/genid"
	reader "github.com/genid-migrate/genid-migrate/readers/ovf"
	writer "github.com/genid-migrate/genid-migrate/writers/ovf"
)

// OVF is an OVF descriptor: vm.genid and vm.genidX as vmw:ExtraConfig, so
// that a deploy to vSphere carries the ID; the manifest beside it, if it
// lists the descriptor, is updated to its new digest.
var OVF = &Kind{
	Name:    "OVF descriptor",
	Noun:    "descriptor",
	Element: "vm.genid and vm.genidX",
	Holds:   "hold",
	Spell:   VMX.Spell,
	Inspect: func(doc []byte) (*State, error) {
		d, err := reader.Parse(doc)
		if err != nil {
			return nil, err
		}
		return vmwareState(formats.OVFConfig(d))
	},
	Set: func(doc []byte, id genid.ID) ([]byte, Span, error) {
		out, e, err := writer.SetGenID(doc, id)
		return out, Span{Start: e.Start, OldEnd: e.OldEnd, NewEnd: e.NewEnd, Line: e.Line, Inserted: e.Inserted}, err
	},
	Carried: func(doc []byte) (genid.ID, error) {
		d, err := reader.Parse(doc)
		if err != nil {
			return genid.ID{}, err
		}
		c, err := formats.OVFConfig(d)
		return c.ID, err
	},
	Also: ovfManifest,
}

// manifestLine matches a manifest's line for one file, as ovftool and
// openssl write it: ALGORITHM(NAME)= HEX.
var manifestLine = regexp.MustCompile(`^(SHA1|SHA256|SHA512)\((.+)\)= ?([0-9a-fA-F]+)\s*$`)

// ovfManifest updates the digest of the descriptor at path in the
// manifest beside it (NAME.mf for NAME.ovf), refusing one that no longer
// matches the descriptor as read: the package was altered already.
func ovfManifest(path string, before, after []byte) ([]FileChange, []string, error) {
	dir, base := filepath.Split(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	mf := filepath.Join(dir, stem+".mf")
	var warnings []string
	if _, err := os.Stat(filepath.Join(dir, stem+".cert")); err == nil {
		warnings = append(warnings, stem+".cert signs the manifest: the signature no longer holds after this edit; sign the package again (ovftool --privateKey) or remove the .cert")
	}
	data, err := os.ReadFile(mf)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, warnings, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if len(data) > 1<<20 {
		return nil, nil, fmt.Errorf("%s is larger than 1 MiB: not a manifest", mf)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	listed := false
	for i, l := range lines {
		text := strings.TrimRight(string(l), "\r\n")
		m := manifestLine.FindStringSubmatchIndex(text)
		if m == nil || text[m[4]:m[5]] != base {
			continue
		}
		listed = true
		alg, old := text[m[2]:m[3]], text[m[6]:m[7]]
		if !strings.EqualFold(old, digest(alg, before)) {
			return nil, nil, &genid.InputError{File: mf, Line: i + 1, Err: fmt.Errorf("the %s digest of %s does not match the file as it is: the package was changed after it was made; check it, then update or remove the manifest", alg, base)}
		}
		nl := l[len(text):]
		lines[i] = append([]byte(text[:m[6]]+digest(alg, after)+text[m[7]:]), nl...)
	}
	if !listed {
		return nil, append(warnings, mf+" does not list "+base+": left as it is"), nil
	}
	return []FileChange{{Path: mf, Before: data, After: bytes.Join(lines, nil)}}, warnings, nil
}

func digest(alg string, b []byte) string {
	var h hash.Hash
	switch alg {
	case "SHA1":
		h = sha1.New()
	case "SHA512":
		h = sha512.New()
	default:
		h = sha256.New()
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
