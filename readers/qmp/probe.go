package qmp

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
)

// Reading limits: xp reads at most this much at once, and the OVMF scan
// covers at most this much memory below the top of low RAM.
const (
	window  = 1 << 20
	maxScan = 64 << 20
)

// A Reading is what a running guest's generation ID is.
type Reading struct {
	Guest      genid.ID // the 16 bytes in guest memory
	Address    uint64   // guest-physical address of those bytes
	Firmware   string   // "seabios" (RSDP in the BIOS area) or "uefi" (found below the top of RAM)
	HostGUID   string   // what query-vm-generation-id reports
	HostView   genid.ID // that GUID in the QEMU convention
	QEMU       string   // QEMU's version
	BytesRead  int      // guest memory read to find it
	Consistent bool     // the guest bytes equal the host view
}

// ErrNotReady reports that the guest firmware has not published the ACPI
// tables yet (the VM is paused before boot, or still in firmware).
var ErrNotReady = errors.New("the guest firmware has not set up the generation ID buffer yet")

// A Monitor runs QMP commands on a running QEMU: a [Client] on QEMU's own
// socket, or a passthrough such as libvirt's qemu-monitor-command when
// libvirt owns the socket. Execute returns the command's "return" value;
// an error QEMU reports is an [*Error].
type Monitor interface {
	Execute(ctx context.Context, command string, args any) (json.RawMessage, error)
}

// hmp runs a human-monitor command through m and returns its output.
func hmp(ctx context.Context, m Monitor, cmd string) (string, error) {
	raw, err := m.Execute(ctx, "human-monitor-command", map[string]string{"command-line": cmd})
	if err != nil {
		return "", err
	}
	var out string
	err = json.Unmarshal(raw, &out)
	return out, err
}

// Probe reads the generation ID the guest sees. Only query commands and
// the read-only HMP xp are sent.
func Probe(ctx context.Context, c Monitor) (*Reading, error) {
	raw, err := c.Execute(ctx, "query-vm-generation-id", nil)
	if err != nil {
		var qe *Error
		if errors.As(err, &qe) {
			return nil, fmt.Errorf("%w: QEMU reports %q", genid.ErrNotFound, qe.Desc)
		}
		return nil, err
	}
	var q struct {
		GUID string `json:"guid"`
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, err
	}
	r := &Reading{HostGUID: q.GUID, QEMU: version(ctx, c)}
	if r.HostView, err = genid.ParseGUID(q.GUID); err != nil {
		return nil, fmt.Errorf("query-vm-generation-id: %w", err)
	}
	m := &mem{c: c, ctx: ctx}
	vgia, fw, err := findVGIA(m)
	if err != nil {
		return r, err
	}
	b, err := m.read(vgia+40, 16)
	if err != nil {
		return r, err
	}
	r.Guest, r.Address, r.Firmware, r.BytesRead = genid.ID(b), vgia+40, fw, m.total
	r.Consistent = r.Guest == r.HostView
	return r, nil
}

// version returns QEMU's version: from a Client's greeting, else from
// query-version.
func version(ctx context.Context, m Monitor) string {
	if c, ok := m.(*Client); ok {
		return c.Version
	}
	raw, err := m.Execute(ctx, "query-version", nil)
	if err != nil {
		return ""
	}
	var v struct {
		QEMU struct{ Major, Minor, Micro int } `json:"qemu"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", v.QEMU.Major, v.QEMU.Minor, v.QEMU.Micro)
}

// mem reads guest-physical memory with xp.
type mem struct {
	c     Monitor
	ctx   context.Context
	total int
}

func (m *mem) read(addr uint64, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		chunk := min(n-len(out), window)
		words := (chunk + 7) / 8
		text, err := hmp(m.ctx, m.c, fmt.Sprintf("xp /%dxg %#x", words, addr+uint64(len(out))))
		if err != nil {
			return nil, err
		}
		b, err := parseXP(text, words)
		if err != nil {
			return nil, fmt.Errorf("reading guest memory at %#x: %w", addr+uint64(len(out)), err)
		}
		out = append(out, b[:chunk]...)
		m.total += chunk
	}
	return out, nil
}

// parseXP decodes "ADDR: 0xWORD 0xWORD" lines of 8-byte words
// (little-endian on x86).
func parseXP(text string, words int) ([]byte, error) {
	b := make([]byte, 0, words*8)
	for _, line := range strings.Split(text, "\n") {
		_, vals, ok := strings.Cut(line, ":")
		if !ok {
			if strings.TrimSpace(line) != "" {
				return nil, fmt.Errorf("unexpected monitor output %q", line)
			}
			continue
		}
		for _, f := range strings.Fields(vals) {
			v, err := strconv.ParseUint(strings.TrimPrefix(f, "0x"), 16, 64)
			if err != nil {
				return nil, fmt.Errorf("unexpected monitor output %q", line)
			}
			b = binary.LittleEndian.AppendUint64(b, v)
		}
	}
	if len(b) != words*8 {
		return nil, fmt.Errorf("monitor returned %d bytes, want %d", len(b), words*8)
	}
	return b, nil
}

// findVGIA locates the VMGENID SSDT and returns the VGIA value.
func findVGIA(m *mem) (uint64, string, error) {
	bios, err := m.read(0xe0000, 0x20000)
	if err != nil {
		return 0, "", err
	}
	for off := 0; off+20 <= len(bios); off += 16 {
		if string(bios[off:off+8]) != "RSD PTR " || sum(bios[off:off+20]) != 0 {
			continue
		}
		vgia, err := fromRSDP(m, bios[off:])
		return vgia, "seabios", err
	}
	// UEFI: the tables sit below the top of low RAM.
	raw, err := m.c.Execute(m.ctx, "query-memory-size-summary", nil)
	if err != nil {
		return 0, "", err
	}
	var sz struct {
		Base uint64 `json:"base-memory"`
	}
	json.Unmarshal(raw, &sz)
	end := min(sz.Base, 0x80000000) // top of low RAM
	top := end &^ (window - 1)
	for scanned := uint64(0); scanned < maxScan && top >= window; scanned += window {
		top -= window
		n := min(window+4096, end-top) // overlap: a table may straddle windows
		b, err := m.read(top, int(n))
		if err != nil {
			return 0, "", err
		}
		for i := 0; i+36 <= len(b); {
			j := bytes.Index(b[i:], []byte("SSDT"))
			if j < 0 {
				break
			}
			i += j
			if vgia, ok := vmgenidSSDT(b[i:]); ok {
				return vgia, "uefi", nil
			}
			i += 4
		}
	}
	return 0, "", ErrNotReady
}

// fromRSDP walks the RSDT (or XSDT) to the VMGENID SSDT.
func fromRSDP(m *mem, rsdp []byte) (uint64, error) {
	addr, entry := uint64(binary.LittleEndian.Uint32(rsdp[16:])), 4
	if rsdp[15] >= 2 && len(rsdp) >= 36 {
		if x := binary.LittleEndian.Uint64(rsdp[24:]); x != 0 {
			addr, entry = x, 8
		}
	}
	hdr, err := m.read(addr, 36)
	if err != nil {
		return 0, err
	}
	n := int(binary.LittleEndian.Uint32(hdr[4:]))
	if n < 36 || n > 64<<10 {
		return 0, fmt.Errorf("root ACPI table at %#x has length %d", addr, n)
	}
	t, err := m.read(addr, n)
	if err != nil {
		return 0, err
	}
	for off := 36; off+entry <= n; off += entry {
		var a uint64
		if entry == 8 {
			a = binary.LittleEndian.Uint64(t[off:])
		} else {
			a = uint64(binary.LittleEndian.Uint32(t[off:]))
		}
		h, err := m.read(a, 36)
		if err != nil {
			return 0, err
		}
		if string(h[0:4]) != "SSDT" || !strings.HasPrefix(string(h[16:24]), "VMGENID") {
			continue
		}
		l := int(binary.LittleEndian.Uint32(h[4:]))
		if l < 36 || l > 64<<10 {
			continue
		}
		ssdt, err := m.read(a, l)
		if err != nil {
			return 0, err
		}
		if vgia, ok := vmgenidSSDT(ssdt); ok {
			return vgia, nil
		}
	}
	return 0, ErrNotReady
}

// vmgenidSSDT checks that b starts with QEMU's VMGENID SSDT (signature,
// OEM table ID, checksum) and returns the value of its VGIA name.
func vmgenidSSDT(b []byte) (uint64, bool) {
	if len(b) < 36 || string(b[0:4]) != "SSDT" || !strings.HasPrefix(string(b[16:24]), "VMGENID") {
		return 0, false
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	if n < 36 || n > len(b) || sum(b[:n]) != 0 {
		return 0, false
	}
	// AML: NameOp 'VGIA' DWordPrefix <le32>.
	i := bytes.Index(b[36:n], []byte{0x08, 'V', 'G', 'I', 'A', 0x0c})
	if i < 0 || 36+i+10 > n {
		return 0, false
	}
	v := uint64(binary.LittleEndian.Uint32(b[36+i+6:]))
	return v, v != 0
}

func sum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return s
}
