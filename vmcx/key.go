package vmcx

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Type is an entry's value type.
type Type uint8

// Value types (docs/hyperv-format.md §2.6).
const (
	TypeFree   Type = 1
	TypeInt    Type = 3
	TypeUInt   Type = 4
	TypeDouble Type = 5
	TypeString Type = 6
	TypeBytes  Type = 7 // "Array" in the engine, type="bytes" in XML
	TypeBool   Type = 8
	TypeNode   Type = 9
)

// FlagFileObject marks a value stored in a separate file object.
const FlagFileObject = 0x01

// Known reports whether t is a value type this package reads.
func (t Type) Known() bool { return t >= TypeInt && t <= TypeNode }

func (t Type) String() string {
	switch t {
	case TypeFree:
		return "free"
	case TypeInt:
		return "int"
	case TypeUInt:
		return "uint"
	case TypeDouble:
		return "double"
	case TypeString:
		return "string"
	case TypeBytes:
		return "bytes"
	case TypeBool:
		return "bool"
	case TypeNode:
		return "node"
	}
	return "type " + strconv.Itoa(int(t))
}

// A Key is one entry of the key tree.
type Key struct {
	Name        string
	Offset      int64 // file offset of the entry
	Parent      *Key
	Children    []*Key // in insertion order
	TableOffset uint32 // offset within the key table, header included
	Sequence    uint32 // insertion sequence among its siblings
	Table       uint16 // key table index
	Type        Type
	Flags       uint8

	parentTable  uint16
	verified     bool
	parentOffset uint32
	value        []byte // the value bytes covered by the CRC
}

// Path returns the key's path from its root, joined with "/".
func (k *Key) Path() string {
	var parts []string
	for p := k; p != nil; p = p.Parent {
		parts = append(parts, p.Name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

// Lookup returns every descendant at the relative path, in tree order. An
// empty path returns k itself.
func (k *Key) Lookup(path ...string) []*Key {
	if len(path) == 0 {
		return []*Key{k}
	}
	var out []*Key
	for _, c := range k.Children {
		if c.Name == path[0] {
			out = append(out, c.Lookup(path[1:]...)...)
		}
	}
	return out
}

func (k *Key) check(want Type) error {
	switch {
	case !k.Type.Known():
		return unsupported(k.Offset, "key entry "+quote(k.Name), "value %s is not a known type", k.Type)
	case k.Flags&FlagFileObject != 0:
		return unsupported(k.Offset, "key entry "+quote(k.Name), "value stored in a file object")
	case k.Type != want:
		return &FormatError{Offset: k.Offset, What: "key entry " + quote(k.Name), Err: fmt.Errorf("%w: a %s, not a %s", ErrFormat, k.Type, want)}
	}
	return nil
}

// String returns a String value (UTF-16LE in the file).
func (k *Key) String() (string, error) {
	if err := k.check(TypeString); err != nil {
		return "", err
	}
	n := binary.LittleEndian.Uint32(k.value)
	u := make([]uint16, n/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(k.value[4+2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// Bytes returns an Array value.
func (k *Key) Bytes() ([]byte, error) {
	if err := k.check(TypeBytes); err != nil {
		return nil, err
	}
	return append([]byte(nil), k.value[4:]...), nil
}

// Int returns an Int value.
func (k *Key) Int() (int64, error) {
	if err := k.check(TypeInt); err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(k.value)), nil
}

// UInt returns a UInt value.
func (k *Key) UInt() (uint64, error) {
	if err := k.check(TypeUInt); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(k.value), nil
}

// Double returns a Double value.
func (k *Key) Double() (float64, error) {
	if err := k.check(TypeDouble); err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(k.value)), nil
}

// Bool returns a Bool value.
func (k *Key) Bool() (bool, error) {
	if err := k.check(TypeBool); err != nil {
		return false, err
	}
	return binary.LittleEndian.Uint32(k.value) != 0, nil
}

// Value returns the value as a Go value: int64, uint64, float64, string,
// []byte, bool, or nil for a node.
func (k *Key) Value() (any, error) {
	switch k.Type {
	case TypeInt:
		return k.Int()
	case TypeUInt:
		return k.UInt()
	case TypeDouble:
		return k.Double()
	case TypeString:
		return k.String()
	case TypeBytes:
		return k.Bytes()
	case TypeBool:
		return k.Bool()
	case TypeNode:
		return nil, k.check(TypeNode)
	}
	return nil, k.check(k.Type)
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func quote(s string) string { return strconv.Quote(s) }
