package genid

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// ID is a VM generation ID held as G, the 16 bytes in guest memory, in the
// order the guest reads them. The zero value means "no generation ID".
//
// ID is comparable and can be used as a map key.
type ID [16]byte

// IsZero reports whether id is the zero ID, which every hypervisor treats as
// "no generation ID".
func (id ID) IsZero() bool { return id == ID{} }

// FromGuestBytes returns the ID whose guest-memory bytes are b, which must
// hold exactly 16 bytes.
func FromGuestBytes(b []byte) (ID, error) {
	var id ID
	if len(b) != len(id) {
		return ID{}, &ParseError{Spelling: "guest bytes", Input: hex.EncodeToString(b), Reason: fmt.Sprintf("want 16 bytes, have %d", len(b))}
	}
	copy(id[:], b)
	return id, nil
}

// GuestBytes returns G as 32 lower-case hex digits in guest-memory order,
// the form of the guest_bytes field. Source: docs/byte-order.md, "The
// canonical form"; vector seed-vmware: c52c51090a948789b950f54f631015e8.
func (id ID) GuestBytes() string { return hex.EncodeToString(id[:]) }

// ParseGuestBytes reads G from 32 hex digits in guest-memory order (the
// inverse of [ID.GuestBytes]). Either case is accepted, and so are spaces,
// tabs or colons between bytes, as hexdump and xxd print them (vector
// seed-qemu-swap: "11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00").
func ParseGuestBytes(s string) (ID, error) {
	compact := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', ':':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	b, err := decodeHex(compact, 32)
	if err != nil {
		return ID{}, &ParseError{Spelling: "guest bytes", Input: s, Reason: err.Error()}
	}
	return ID(b), nil
}

// Low returns the low 64-bit half as Windows reads it: G[0:8] as a
// little-endian integer (VM_GENCOUNTER.GenerationCount).
func (id ID) Low() uint64 { return binary.LittleEndian.Uint64(id[0:8]) }

// High returns the high 64-bit half as Windows reads it: G[8:16] as a
// little-endian integer (VM_GENCOUNTER.GenerationCountHigh).
func (id ID) High() uint64 { return binary.LittleEndian.Uint64(id[8:16]) }

// FromHalves returns the ID with the given Windows low and high halves:
// G = LE64(low) ‖ LE64(high).
func FromHalves(low, high uint64) ID {
	var id ID
	binary.LittleEndian.PutUint64(id[0:8], low)
	binary.LittleEndian.PutUint64(id[8:16], high)
	return id
}

// Windows returns the ID as VMGENID.EXE and getvmgenid print it: low and
// high in lower-case hex, separated by a colon, with no zero padding.
// Source: docs/byte-order.md, Windows; vector edge-leading-zero-windows:
// low 0x0123456789abcdef, high 1 prints as "123456789abcdef:1".
func (id ID) Windows() string {
	return strconv.FormatUint(id.Low(), 16) + ":" + strconv.FormatUint(id.High(), 16)
}

// ParseWindows reads the VMGENID.EXE form "low:high": two hex numbers of 1
// to 16 digits each, either case, leading zeros optional (the tool does not
// print them). Surrounding spaces are ignored. Vector seed-vmware:
// "8987940a09512cc5:e81510634ff550b9".
func ParseWindows(s string) (ID, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return ID{}, &ParseError{Spelling: "Windows low:high", Input: s, Reason: "want two hex numbers separated by a colon"}
	}
	low, err := parseHex64(lo)
	if err != nil {
		return ID{}, &ParseError{Spelling: "Windows low:high", Input: s, Reason: "low half: " + err.Error()}
	}
	high, err := parseHex64(hi)
	if err != nil {
		return ID{}, &ParseError{Spelling: "Windows low:high", Input: s, Reason: "high half: " + err.Error()}
	}
	return FromHalves(low, high), nil
}

// FromVMX returns the ID for VMware's vm.genid (the low half) and
// vm.genidX (the high half): G = LE64(genid) ‖ LE64(genidX). Source:
// docs/byte-order.md, VMware .vmx; vector seed-vmware: -8536691797830587195,
// -1723453263670062919 gives c52c51090a948789b950f54f631015e8.
func FromVMX(genid, genidX int64) ID { return FromHalves(uint64(genid), uint64(genidX)) }

// VMX returns VMware's vm.genid and vm.genidX for id, as signed integers (the
// way VMware writes them). It is the inverse of [FromVMX].
func (id ID) VMX() (genid, genidX int64) { return int64(id.Low()), int64(id.High()) }

// ParseVMXInt reads one VMware vm.genid or vm.genidX value: a decimal
// integer with an optional sign, either a signed 64-bit value or an unsigned
// one up to 2^64−1 (taken modulo 2^64, as the guest sees the same 8 bytes).
// Hex (0x10), fractions (1.5), spaces and the empty string are rejected, as
// libvirt rejects them (docs/libvirt-qemu.md §2.2).
func ParseVMXInt(s string) (int64, error) {
	if s == "" {
		return 0, &ParseError{Spelling: "VMware integer", Input: s, Reason: "empty value"}
	}
	digits, neg := s, false
	switch s[0] {
	case '-':
		digits, neg = s[1:], true
	case '+':
		digits = s[1:]
	}
	if digits == "" {
		return 0, &ParseError{Spelling: "VMware integer", Input: s, Reason: "no digits"}
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, &ParseError{Spelling: "VMware integer", Input: s, Reason: "not a decimal integer"}
		}
	}
	if neg {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, &ParseError{Spelling: "VMware integer", Input: s, Reason: "below the 64-bit range (minimum -9223372036854775808)"}
		}
		return v, nil
	}
	u, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, &ParseError{Spelling: "VMware integer", Input: s, Reason: "above the 64-bit range (maximum 18446744073709551615)"}
	}
	return int64(u), nil
}

// ParseVMXPair reads "GENID:GENIDX", the two VMware values joined by a
// colon, each as [ParseVMXInt] reads it. Vector seed-vmware:
// "-8536691797830587195:-1723453263670062919".
func ParseVMXPair(s string) (ID, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return ID{}, &ParseError{Spelling: "VMware GENID:GENIDX", Input: s, Reason: "want two decimal integers separated by a colon"}
	}
	genid, err := ParseVMXInt(a)
	if err != nil {
		return ID{}, &ParseError{Spelling: "VMware GENID:GENIDX", Input: s, Reason: "vm.genid: " + Reason(err)}
	}
	genidX, err := ParseVMXInt(b)
	if err != nil {
		return ID{}, &ParseError{Spelling: "VMware GENID:GENIDX", Input: s, Reason: "vm.genidX: " + Reason(err)}
	}
	return FromVMX(genid, genidX), nil
}

// Xen returns the Xen and XenServer spelling "a:b": the low and high halves
// as signed decimal (XenStore platform/generation-id, XAPI
// VM.generation_id). Signed, because hvmloader reads the halves with strtoll.
// Vector seed-hyperv: "-112755386683798973:-9197994783878313500".
func (id ID) Xen() string {
	g, x := id.VMX()
	return strconv.FormatInt(g, 10) + ":" + strconv.FormatInt(x, 10)
}

// ParseXen reads the Xen spelling "a:b" (decimal, low then high, signed or
// unsigned); G = LE64(a) ‖ LE64(b). "0:0" gives the zero ID, which Xen
// treats as "none". Vector qemu-qtest: "5473793093537787567:-8648158763242929729".
func ParseXen(s string) (ID, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return ID{}, &ParseError{Spelling: "Xen a:b", Input: s, Reason: "want two decimal integers separated by a colon"}
	}
	lo, err := ParseVMXInt(a)
	if err != nil {
		return ID{}, &ParseError{Spelling: "Xen a:b", Input: s, Reason: "low half: " + Reason(err)}
	}
	hi, err := ParseVMXInt(b)
	if err != nil {
		return ID{}, &ParseError{Spelling: "Xen a:b", Input: s, Reason: "high half: " + Reason(err)}
	}
	return FromVMX(lo, hi), nil
}

// HyperV returns the Hyper-V generation_id string: 32 lower-case hex digits,
// the 128-bit number (high<<64 | low) in big-endian order, which is G
// reversed. Source: docs/byte-order.md, Hyper-V; vector seed-hyperv:
// "805a287a250989e4fe6f6992be334a43".
func (id ID) HyperV() string {
	var r [16]byte
	for i := range id {
		r[15-i] = id[i]
	}
	return hex.EncodeToString(r[:])
}

// ParseHyperV reads a Hyper-V generation_id: exactly 32 hex digits, either
// case, no dashes; G is the decoded bytes reversed. Surrounding spaces are
// ignored. Vector seed-hyperv: "805a287a250989e4fe6f6992be334a43" gives
// 434a33be92696ffee48909257a285a80.
func ParseHyperV(s string) (ID, error) {
	b, err := decodeHex(strings.TrimSpace(s), 32)
	if err != nil {
		return ID{}, &ParseError{Spelling: "Hyper-V generation_id", Input: s, Reason: err.Error()}
	}
	var id ID
	for i := range b {
		id[15-i] = b[i]
	}
	return id, nil
}

// UUIDBytes returns the 16 bytes of the QEMU/libvirt GUID text in the
// order the text spells them (big-endian UUID layout): G with its first
// three fields (4, 2 and 2 bytes) byte-swapped and the last 8 bytes as they
// are. This is what QEMU's qemu_uuid_bswap undoes before writing guest RAM.
func (id ID) UUIDBytes() [16]byte {
	var u [16]byte
	u[0], u[1], u[2], u[3] = id[3], id[2], id[1], id[0]
	u[4], u[5] = id[5], id[4]
	u[6], u[7] = id[7], id[6]
	copy(u[8:], id[8:])
	return u
}

// FromUUIDBytes returns the ID a QEMU guest sees for a GUID whose text
// spells the bytes u (big-endian UUID layout). It is the inverse of
// [ID.UUIDBytes]; readers that parse GUID text with a tool's own leniency
// (libvirt's, say) use it.
func FromUUIDBytes(u [16]byte) ID {
	// The swap is its own inverse.
	return ID(ID(u).UUIDBytes())
}

// GUID returns the GUID to give QEMU's -device vmgenid,guid=, a libvirt
// <genid> in a qemu or kvm domain, or Proxmox's vmgenid: lower-case
// 8-4-4-4-12 text, the only form QEMU accepts. Source: docs/byte-order.md,
// QEMU; vector seed-vmware: G c52c51090a948789b950f54f631015e8 gives
// "09512cc5-940a-8987-b950-f54f631015e8".
func (id ID) GUID() string { return formatUUID(id.UUIDBytes()) }

// String returns [ID.GUID]: the spelling QEMU, libvirt and Proxmox take.
func (id ID) String() string { return id.GUID() }

// ParseGUID reads a QEMU/libvirt/Proxmox GUID as QEMU reads guid=: the
// 36-character 8-4-4-4-12 form, hex digits in either case. It is the
// inverse of [ID.GUID]. Vector seed-qemu-swap:
// "44332211-6655-8877-99aa-bbccddeeff00" gives 112233445566778899aabbccddeeff00.
func ParseGUID(s string) (ID, error) {
	u, err := parseUUID(s)
	if err != nil {
		return ID{}, &ParseError{Spelling: "GUID", Input: s, Reason: err.Error()}
	}
	return FromUUIDBytes(u), nil
}

// ParseGUIDInput reads a GUID typed or pasted by a person: [ParseGUID]'s
// form, also inside braces ({…}, as Windows prints GUIDs) or after
// "urn:uuid:", with surrounding spaces ignored. Tools that write the GUID
// onward must still write [ID.GUID]: QEMU rejects braces.
func ParseGUIDInput(s string) (ID, error) {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && t[0] == '{' && t[len(t)-1] == '}' {
		t = t[1 : len(t)-1]
	} else if len(t) > 9 && strings.EqualFold(t[:9], "urn:uuid:") {
		t = t[9:]
	}
	u, err := parseUUID(t)
	if err != nil {
		return ID{}, &ParseError{Spelling: "GUID", Input: s, Reason: err.Error()}
	}
	return FromUUIDBytes(u), nil
}

// LibvirtVMware returns the <genid> that libvirt's VMX/ESX driver writes for
// this ID in a type='vmware' domain: the UUID text "%016x%016x" of (genid,
// genidX), that is, each 8-byte half of G reversed. This is not what a QEMU
// guest would see from the same text. Source: docs/byte-order.md, "Wrong
// spellings already in the wild"; vector seed-vmware:
// "8987940a-0951-2cc5-e815-10634ff550b9".
func (id ID) LibvirtVMware() string { return formatUUID(id.LibvirtVMwareUUIDBytes()) }

// LibvirtVMwareUUIDBytes returns the bytes spelled by [ID.LibvirtVMware]:
// BE64(low) ‖ BE64(high).
func (id ID) LibvirtVMwareUUIDBytes() [16]byte {
	var u [16]byte
	binary.BigEndian.PutUint64(u[0:8], id.Low())
	binary.BigEndian.PutUint64(u[8:16], id.High())
	return u
}

// FromLibvirtVMwareUUID returns the ID for the UUID bytes u of a <genid> in a
// libvirt type='vmware' domain: G = reverse(u[0:8]) ‖ reverse(u[8:16]). It
// is the inverse of [ID.LibvirtVMwareUUIDBytes]. Vector libvirt-vmware-domain.
func FromLibvirtVMwareUUID(u [16]byte) ID {
	return FromHalves(binary.BigEndian.Uint64(u[0:8]), binary.BigEndian.Uint64(u[8:16]))
}

// ParseLibvirtVMware reads a <genid> written by libvirt's VMX/ESX driver in
// its 8-4-4-4-12 form. Vector libvirt-vmware-domain:
// "8987940a-0951-2cc5-e815-10634ff550b9" gives c52c51090a948789b950f54f631015e8.
func ParseLibvirtVMware(s string) (ID, error) {
	u, err := parseUUID(s)
	if err != nil {
		return ID{}, &ParseError{Spelling: "libvirt VMX-driver genid", Input: s, Reason: err.Error()}
	}
	return FromLibvirtVMwareUUID(u), nil
}

// MarshalText implements [encoding.TextMarshaler] with [ID.GUID]. The zero
// ID marshals as the empty string.
func (id ID) MarshalText() ([]byte, error) {
	if id.IsZero() {
		return []byte{}, nil
	}
	return []byte(id.GUID()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseGUID]. The
// empty string gives the zero ID.
func (id *ID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = ID{}
		return nil
	}
	v, err := ParseGUID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// MustParseGUID is [ParseGUID] for constants and tests: it panics if s is
// not a GUID.
func MustParseGUID(s string) ID {
	id, err := ParseGUID(s)
	if err != nil {
		panic(err)
	}
	return id
}

// formatUUID writes u as lower-case 8-4-4-4-12 text.
func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// parseUUID reads the 36-character 8-4-4-4-12 form, either case, into the
// bytes it spells.
func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	if len(s) != 36 {
		return u, fmt.Errorf("want 36 characters in the form 8-4-4-4-12, have %d", len(s))
	}
	if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("want dashes after hex digits 8, 12, 16 and 20 (8-4-4-4-12)")
	}
	compact := s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:36]
	b, err := decodeHex(compact, 32)
	if err != nil {
		return u, err
	}
	copy(u[:], b)
	return u, nil
}

// decodeHex decodes exactly n hex digits (either case).
func decodeHex(s string, n int) ([]byte, error) {
	if len(s) != n {
		return nil, fmt.Errorf("want %d hex digits, have %d characters", n, len(s))
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return nil, fmt.Errorf("%q at position %d is not a hex digit", s[i], i+1)
		}
	}
	b := make([]byte, n/2)
	_, err := hex.Decode(b, []byte(s))
	return b, err
}

// parseHex64 reads 1 to 16 hex digits, either case, with no prefix.
func parseHex64(s string) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("no hex digits")
	}
	if len(s) > 16 {
		return 0, fmt.Errorf("%d hex digits, at most 16 fit in 64 bits", len(s))
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isHex(c) {
			return 0, fmt.Errorf("%q is not a hex digit", c)
		}
		v = v<<4 | uint64(hexVal(c))
	}
	return v, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
