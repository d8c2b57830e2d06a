package hyperv

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// GenerationIDPath is where both formats keep the generation ID.
const GenerationIDPath = "configuration/global_settings/devices/generation_id"

// Kind says what a configuration file is.
type Kind string

// Kinds of Hyper-V files.
const (
	KindVM           Kind = "vm"            // a virtual machine configuration
	KindHostRegistry Kind = "host-registry" // data.vmcx: the host's list of VMs
	KindRuntimeState Kind = "runtime-state" // .vmrs or another container without a VM configuration
)

// A Config is what a report needs from a Hyper-V configuration.
type Config struct {
	Format     string   // "xml" or "vmcx"
	Kind       Kind     // what the file is
	ID         genid.ID // zero when there is none
	Text       string   // generation_id as written
	Line       int      // XML: line of generation_id
	Offset     int64    // vmcx: file offset of the generation_id entry
	Name       string   // properties/name
	GlobalID   string   // properties/global_id: the VM ID
	Version    int64    // properties/version (0x0500 = 5.0, 0x0900 = 9.0); 0 if absent
	Subtype    int64    // properties/subtype: 0 Gen1 (BIOS), 1 Gen2 (UEFI); -1 if absent
	Checkpoint bool     // the file is under a Snapshots directory
	// Container is the .vmcx container read: fully verified, with only
	// the keys the reader uses built (see [vmcx.NewFileOnly]); open it
	// with [vmcx.NewFile] for every key. Nil for XML.
	Container *vmcx.File
}

// Generation returns "Gen1", "Gen2" or "" from the subtype.
func (c *Config) Generation() string {
	switch c.Subtype {
	case 0:
		return "Gen1"
	case 1:
		return "Gen2"
	}
	return ""
}

// leaf is one key the resolver looks at, in either format.
type leaf interface {
	str() (string, error) // the value as a string, or an error if not a string
	integer() (int64, bool)
	pos() (line int, offset int64)
}

// tree is a configuration's key tree, in either format.
type tree interface {
	root() string
	lookup(path string) []leaf
}

// resolve reads the ID and the context from t.
func resolve(t tree, c *Config, at func(l leaf, err error) error) (*Config, error) {
	c.Subtype = -1
	str := func(path string) string {
		if ls := t.lookup(path); len(ls) == 1 {
			s, _ := ls[0].str()
			return strings.TrimSpace(s)
		}
		return ""
	}
	num := func(path string) (int64, bool) {
		if ls := t.lookup(path); len(ls) == 1 {
			return ls[0].integer()
		}
		return 0, false
	}
	c.Name = str("configuration/properties/name")
	c.GlobalID = str("configuration/properties/global_id")
	c.Version, _ = num("configuration/properties/version")
	if v, ok := num("configuration/properties/subtype"); ok {
		c.Subtype = v
	}
	switch {
	case t.root() == "Configurations":
		c.Kind = KindHostRegistry
		return c, fmt.Errorf("%w: this is the Hyper-V host's VM registry (data.vmcx), which lists VM configurations but holds no generation ID; read the VM's own .vmcx", genid.ErrNotFound)
	case t.root() != "configuration":
		c.Kind = KindRuntimeState
		return c, fmt.Errorf("%w: a Hyper-V file whose root is %q, not a VM configuration", genid.ErrNotFound, t.root())
	}
	matches := t.lookup(GenerationIDPath)
	if len(matches) == 0 && c.GlobalID == "" {
		c.Kind = KindRuntimeState
		return c, fmt.Errorf("%w: a Hyper-V file without a VM configuration (no properties/global_id), such as a runtime-state .vmrs; read the VM's .vmcx", genid.ErrNotFound)
	}
	c.Kind = KindVM
	switch len(matches) {
	case 0:
		return c, fmt.Errorf("%w: the configuration has no %s", genid.ErrNotFound, GenerationIDPath)
	case 1:
	default:
		return c, at(matches[1], fmt.Errorf("generation_id appears %d times under devices; exactly one is expected", len(matches)))
	}
	l := matches[0]
	c.Line, c.Offset = l.pos()
	s, err := l.str()
	if err != nil {
		return c, at(l, err)
	}
	c.Text = s
	s = strings.TrimSpace(s)
	if s == "" {
		return c, fmt.Errorf("%w: generation_id is empty", genid.ErrNotFound)
	}
	if len(s) != 32 {
		return c, at(l, fmt.Errorf("generation_id %q has %d characters, want 32 hex digits", s, len(s)))
	}
	if _, err := hex.DecodeString(s); err != nil {
		return c, at(l, fmt.Errorf("generation_id %q is not 32 hex digits", s))
	}
	id, err := genid.ParseHyperV(s)
	if err != nil {
		return c, at(l, err)
	}
	if id.IsZero() {
		return c, fmt.Errorf("%w: generation_id is all zeros", genid.ErrZero)
	}
	c.ID = id
	return c, nil
}

// ReadVMCX reads a binary configuration (.vmcx) from r, of size bytes.
func ReadVMCX(r io.ReaderAt, size int64) (*Config, error) {
	// Every checksum and link of the file is checked; only the keys the
	// resolver reads are built.
	f, err := vmcx.NewFileOnly(r, size, resolvedPaths...)
	if err != nil {
		return nil, err
	}
	return FromContainer(f)
}

// FromContainer reads the ID and context from an opened container.
func FromContainer(f *vmcx.File) (*Config, error) {
	roots := f.Roots()
	if len(roots) == 0 {
		return &Config{Format: "vmcx", Kind: KindRuntimeState, Subtype: -1, Container: f}, fmt.Errorf("%w: the Hyper-V container holds no keys at all", genid.ErrNotFound)
	}
	if len(roots) > 1 {
		return nil, &vmcx.FormatError{Offset: roots[1].Offset, What: "key tree", Err: fmt.Errorf("%w: %d root keys, a configuration has one", vmcx.ErrFormat, len(roots))}
	}
	c := &Config{Format: "vmcx", Container: f}
	return resolve(vmcxTree{f}, c, func(l leaf, err error) error {
		var fe *vmcx.FormatError
		if errors.As(err, &fe) {
			return err
		}
		_, off := l.pos()
		return &vmcx.FormatError{Offset: off, What: "key entry \"generation_id\"", Err: fmt.Errorf("%w: %v", vmcx.ErrFormat, err)}
	})
}

type vmcxTree struct{ f *vmcx.File }

func (t vmcxTree) root() string { return t.f.Roots()[0].Name }

func (t vmcxTree) lookup(path string) []leaf {
	var out []leaf
	for _, k := range t.f.Lookup(path) {
		out = append(out, vmcxLeaf{k})
	}
	return out
}

type vmcxLeaf struct{ k *vmcx.Key }

func (l vmcxLeaf) str() (string, error)   { return l.k.String() }
func (l vmcxLeaf) pos() (int, int64)      { return 0, l.k.Offset }
func (l vmcxLeaf) integer() (int64, bool) { v, err := l.k.Int(); return v, err == nil }

// ReadXML reads an XML configuration.
func ReadXML(r io.Reader) (*Config, error) {
	b, err := bounded.ReadAll(r, bounded.MaxFileSize, 0, "a Hyper-V configuration")
	if err != nil {
		return nil, err
	}
	return ParseXML(b)
}

// ParseXML reads an XML configuration from its bytes, which it does not
// keep.
func ParseXML(b []byte) (*Config, error) {
	if len(b) > bounded.MaxFileSize {
		return nil, bounded.TooLarge(bounded.MaxFileSize, "a Hyper-V configuration")
	}
	// The UTF-8 text goes into a reused buffer: nothing read from it
	// outlives this call (the tree's texts are copies).
	buf := textBufs.Get().(*[]byte)
	defer textBufs.Put(buf)
	text, narrowed, err := decodeText(b, (*buf)[:0])
	if err != nil {
		return nil, &genid.InputError{Err: err}
	}
	if narrowed && cap(text) <= 1<<20 {
		*buf = text[:0] // kept for the next file, if it grew
	}
	t, ok := scanXML(text)
	if !ok {
		if t, err = parseXML(text); err != nil {
			return nil, err
		}
	}
	c, err := resolve(t, &Config{Format: "xml"}, func(l leaf, err error) error {
		line, _ := l.pos()
		return &genid.InputError{Line: line, Key: "generation_id", Err: err}
	})
	if c != nil && c.Kind != KindVM && c.Name == "" && c.GlobalID == "" {
		// Hyper-V's XML files are VM configurations; an XML file whose
		// root is <configuration> without one (.NET's app.config and
		// NuGet.config, FreeSWITCH's) is a look-alike.
		return nil, fmt.Errorf("%w: an XML <configuration> without Hyper-V's properties (name, global_id) or %s (such as a .NET app.config or a NuGet.config)", genid.ErrNotVM, GenerationIDPath)
	}
	return c, err
}

// DecodeText turns the bytes of an XML file into UTF-8 by its byte order
// mark: UTF-16LE, UTF-16BE or UTF-8; without one, UTF-16LE if it starts
// with "<\x00", else the bytes as they are.
func DecodeText(b []byte) ([]byte, error) {
	text, _, err := decodeText(b, nil)
	return text, err
}

// textBufs recycles the buffers ParseXML decodes into.
var textBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// decodeText is DecodeText, narrowing UTF-16 into dst's array when it
// has room. narrowed says the text is in dst's array or a new one, not in
// b.
func decodeText(b, dst []byte) (text []byte, narrowed bool, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		text, err = decodeUTF16(b[2:], binary.LittleEndian, dst)
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		text, err = decodeUTF16(b[2:], binary.BigEndian, dst)
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return b[3:], false, nil
	case len(b) >= 2 && b[0] == '<' && b[1] == 0:
		text, err = decodeUTF16(b, binary.LittleEndian, dst)
	default:
		return b, false, nil
	}
	return text, err == nil, err
}

func decodeUTF16(b []byte, order binary.ByteOrder, dst []byte) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("UTF-16 text of an odd %d bytes (truncated?)", len(b))
	}
	// Hyper-V's XML is ASCII in practice: narrow it without decoding, four
	// code units at a time.
	mask, shift := uint64(0xff80ff80ff80ff80), 0 // little-endian: the low byte first
	if order == binary.BigEndian {
		mask, shift = 0x80ff80ff80ff80ff, 8
	}
	var ascii []byte
	if cap(dst) >= len(b)/2 {
		ascii = dst[:len(b)/2]
	} else {
		ascii = make([]byte, len(b)/2)
	}
	// pack gathers the low bytes of four code units into four bytes.
	pack := func(w uint64) uint64 {
		w = (w >> shift) & 0x00ff00ff00ff00ff
		w = (w | w>>8) & 0x0000ffff0000ffff
		return (w | w>>16) & 0xffffffff
	}
	i := 0
	for ; i+8 <= len(ascii); i += 8 { // eight code units at a time
		w0, w1 := binary.LittleEndian.Uint64(b[2*i:]), binary.LittleEndian.Uint64(b[2*i+8:])
		if (w0|w1)&mask != 0 {
			break // not ASCII here: the loop below finds where
		}
		binary.LittleEndian.PutUint64(ascii[i:], pack(w0)|pack(w1)<<32)
	}
	for ; ascii != nil && i < len(ascii); i++ {
		if c := order.Uint16(b[2*i:]); c < 0x80 {
			ascii[i] = byte(c)
		} else {
			ascii = nil
		}
	}
	if ascii != nil {
		return ascii, nil
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(u))), nil
}

// IsCheckpointPath reports whether a configuration's path lies under a
// Snapshots directory, where Hyper-V keeps checkpoint configurations.
func IsCheckpointPath(path string) bool {
	parts := strings.Split(strings.ReplaceAll(filepath.ToSlash(path), `\`, "/"), "/")
	for _, part := range parts[:len(parts)-1] { // the directories, not the file
		if strings.EqualFold(part, "Snapshots") {
			return true
		}
	}
	return false
}

// ReadFile reads the configuration at name, XML or vmcx by content, and
// flags checkpoint configurations by their path. Errors carry the name.
func ReadFile(name string) (*Config, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var head [4]byte
	n, _ := f.ReadAt(head[:], 0)
	var c *Config
	if vmcx.Sniff(head[:n]) {
		c, err = ReadVMCX(f, st.Size())
	} else {
		c, err = ReadXML(f)
	}
	if c != nil {
		c.Checkpoint = IsCheckpointPath(name)
	}
	return c, genid.WithFile(err, name)
}

// Reading returns what the configuration holds in the shape every reader
// shares. The VM is identified by its global_id (the VM ID in Hyper-V's
// file names). The host registry and runtime-state files are marked as
// holding no VM; a container whose header copy A is invalid, or whose
// journal was replayed, is said to be.
func (c *Config) Reading() *genid.Reading {
	if c == nil {
		return nil
	}
	r := &genid.Reading{ID: c.ID, Convention: genid.ConvHyperV, Name: c.Name, NoVM: c.Kind != KindVM && c.Kind != ""}
	r.SetIdentity("global_id", c.GlobalID)
	switch {
	case c.Line > 0:
		r.Where = genid.Lines(c.Line, 0)
	case c.Offset > 0:
		r.Where = fmt.Sprintf("offset %#x", c.Offset)
	}
	version := ""
	if c.Version > 0 {
		version = fmt.Sprintf("%d.%d (%d)", c.Version>>8, c.Version&0xff, c.Version)
	}
	r.AddFields(
		genid.Field{Key: "name", Label: "name", Value: c.Name},
		genid.Field{Key: "global_id", Label: "global_id", Value: c.GlobalID},
		genid.Field{Key: "version", Label: "version", Value: version},
		genid.Field{Key: "generation", Label: "generation", Value: c.Generation()},
	)
	if f := c.Container; f != nil {
		if f.Header.Offset != 0 && f.Headers[0].Err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("file header A is not valid (%v); copy B was used", f.Headers[0].Err))
		}
		if f.Journal.Replayed > 0 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("Hyper-V left %d pending journal entries; they were replayed in memory (the file was not changed)", f.Journal.Replayed))
		}
	}
	if c.Checkpoint {
		MarkCheckpoint(r)
	}
	return r
}

// MarkCheckpoint marks a reading as a checkpoint's configuration, with a
// warning that says where the VM's current ID is.
func MarkCheckpoint(r *genid.Reading) {
	if !r.Checkpoint {
		r.Checkpoint = true
		r.Warnings = append(r.Warnings, "this is a checkpoint's configuration (under Snapshots/): the VM's current ID is in its configuration under Virtual Machines/")
	}
}

func atoi(s string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return v, err == nil
}
