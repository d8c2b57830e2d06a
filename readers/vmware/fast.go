package vmware

import (
	"strings"
	"sync"

	"github.com/genid-migrate/genid-migrate/internal/ascii"
)

// usedKeys are the keys [FromFile] reads, besides .encoding.
var usedKeys = []string{"displayName", "uuid.bios", "uuid.location", "vc.uuid", "guestOS", KeyGenID, KeyGenIDX}

// fastEntry is a line's key and raw value, as offsets into the file's
// text: 20 bytes a line, where two strings would take 40.
type fastEntry struct {
	keyOff, keyEnd, rawOff, rawEnd, line uint32
}

type fastState struct {
	entries []fastEntry
	slots   []int32 // entry index + 1; 0 is empty
}

// fastMax bounds the files read in one pass: real .vmx files are a few
// KiB, and a huge one read by the full parser alone costs what it always
// did, never both parsers' memory at once.
const fastMax = 1 << 20

var fastStates = sync.Pool{New: func() any { return new(fastState) }}

// readFast is [ReadBytes] in one pass that decodes only the values
// [FromFile] reads: every line is checked as the full parser checks it
// (the same splitLineAt), every key is checked against the keys before it,
// and nothing else is built. It gives up (ok false) on anything whose
// answer takes the full parser's work or words: a syntax error, a key set
// again with a different value, an .encoding it would warn about or that
// holds an escape, a file without any VM setting, a file over fastMax.
// ReadBytes then uses the full parser. For every file it answers,
// its result equals the full parser's (FuzzReadFast checks it).
func readFast(data []byte) (c *Config, err error, ok bool) {
	if len(data) > fastMax {
		return nil, nil, false
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	lines := strings.Count(text, "\n") + 1
	st := fastStates.Get().(*fastState)
	defer func() {
		clear(st.entries) // no text kept alive by the pool
		st.entries = st.entries[:0]
		fastStates.Put(st)
	}()
	n := 16
	for n < 2*lines {
		n *= 2
	}
	if cap(st.slots) < n {
		st.slots = make([]int32, n)
	}
	slots := st.slots[:n]
	clear(slots)
	mask := uint64(n - 1)
	vm := false
	pos := 0
	for line := 1; pos < len(text); line++ {
		l := text[pos:]
		if i := strings.IndexByte(l, '\n'); i >= 0 {
			l = l[:i]
		}
		start := pos
		pos += len(l) + 1
		if len(l) > MaxLineSize {
			return nil, nil, false
		}
		ks, ke, rs, re, err := splitLineAt(strings.TrimSuffix(l, "\r"))
		if err != nil {
			return nil, nil, false
		}
		if ks == ke {
			continue
		}
		e := fastEntry{uint32(start + ks), uint32(start + ke), uint32(start + rs), uint32(start + re), uint32(line)}
		key, raw := text[e.keyOff:e.keyEnd], text[e.rawOff:e.rawEnd]
		if !vm {
			vm = vmKey(strings.ToLower(key))
		}
		for j := foldHash(key) & mask; ; j = (j + 1) & mask {
			s := slots[j]
			if s == 0 {
				st.entries = append(st.entries, e)
				slots[j] = int32(len(st.entries))
				break
			}
			first := st.entries[s-1]
			if ascii.EqualFold(text[first.keyOff:first.keyEnd], key) {
				if text[first.rawOff:first.rawEnd] != raw {
					return nil, nil, false // set again differently: the full parser words the conflict
				}
				break
			}
		}
	}
	if !vm {
		return nil, nil, false // the full parser says what the file is instead
	}
	find := func(key string) (fastEntry, bool) {
		for j := foldHash(key) & mask; ; j = (j + 1) & mask {
			s := slots[j]
			if s == 0 {
				return fastEntry{}, false
			}
			e := st.entries[s-1]
			if ascii.EqualFold(text[e.keyOff:e.keyEnd], key) {
				return e, true
			}
		}
	}
	encoding := ""
	if e, found := find(".encoding"); found {
		encoding = text[e.rawOff:e.rawEnd]
		for i := 0; i < len(encoding); i++ {
			if c := encoding[i]; c == '|' || c >= 0x80 {
				return nil, nil, false
			}
		}
	}
	conv, known := decoderFor(encoding)
	if !known {
		return nil, nil, false // the full parser warns about it
	}
	f := &File{Encoding: encoding, index: newKeyIndex(len(usedKeys)), Entries: make([]Entry, 0, len(usedKeys)), firstOf: make([]int32, 0, len(usedKeys))}
	for _, k := range usedKeys {
		if e, found := find(k); found {
			f.Entries = append(f.Entries, Entry{Key: text[e.keyOff:e.keyEnd], Value: conv(unescape(text[e.rawOff:e.rawEnd])), Line: int(e.line)})
			f.firstOf = append(f.firstOf, int32(f.index.add(f.Entries, len(f.Entries)-1)))
		}
	}
	c, err = FromFile(f)
	return c, err, true
}
