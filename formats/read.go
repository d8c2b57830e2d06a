package formats

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/bounded"
)

// A Result is what one input holds: the reader's [genid.Reading], with
// where it came from.
type Result struct {
	Input       string // the path, "-" for standard input, or "--flag VALUE"
	Format      string // the format's name, or the literal's ("guid", …), or "qmp"
	Description string // the format for people, such as "VMware .vmx"
	genid.Reading
}

// Options are what the user says about inputs that cannot say it
// themselves.
type Options struct {
	// LabelConvention is how to read the libguestfs.org/genid label of a
	// KubeVirt manifest: genid.ConvQEMU or genid.ConvLibvirtVMware; ""
	// lets the manifest decide, or refuses (see readers/kubevirt).
	LabelConvention genid.Convention
}

// An Input is an opened input as a row's reader sees it: its bytes, read
// whole and bounded when a reader asks, or random access for a container.
type Input struct {
	Name    string  // for messages
	Options Options // the user's choices
	r       io.ReaderAt
	size    int64
	whole   []byte // all of it, once read
}

// Bytes returns the whole input, read once, refusing more than
// [bounded.MaxFileSize] bytes.
func (in *Input) Bytes() ([]byte, error) {
	if in.whole != nil {
		return in.whole, nil
	}
	if in.size > bounded.MaxFileSize {
		return nil, bounded.TooLarge(bounded.MaxFileSize, "a configuration file")
	}
	b, err := bounded.ReadAll(io.NewSectionReader(in.r, 0, in.size+1), bounded.MaxFileSize, in.size, "a configuration file")
	if err != nil {
		return nil, err
	}
	in.whole = b
	return b, nil
}

// An UnrecognizedError reports an input that is not in any format this
// tool reads, or not a file at all. It is an unsupported input (exit 4).
type UnrecognizedError struct {
	Input  string
	Reason string
}

func (e *UnrecognizedError) Error() string { return e.Input + ": " + e.Reason }

// Unsupported reports true: see [genid.ClassOf].
func (e *UnrecognizedError) Unsupported() bool { return true }

// ReadFile reads the input at path, detecting its format unless force
// names one. "-" reads stdin. A regular file is read where it is; standard
// input and pipes (bash's <(…)) are read into memory, bounded, and nothing
// past their first [SniffSize] bytes is read when those are not in a
// format this tool reads.
func ReadFile(path string, stdin io.Reader, force *Format) (*Result, error) {
	return ReadFileWith(path, stdin, force, Options{})
}

// ReadFileWith is [ReadFile] with the user's options.
func ReadFileWith(path string, stdin io.Reader, force *Format, opt Options) (*Result, error) {
	name := path
	var in io.Reader
	if path == "-" {
		name, in = "<stdin>", stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		switch {
		case err != nil:
			return nil, err
		case st.IsDir():
			return nil, &UnrecognizedError{Input: path, Reason: "is a directory, not a configuration file"}
		case st.Mode().IsRegular():
			head := make([]byte, SniffSize)
			n, err := f.ReadAt(head, 0)
			if err != nil && err != io.EOF {
				return nil, genid.WithFile(err, name)
			}
			format := force
			if format == nil {
				format = DetectFile(f, st.Size(), head[:n])
			}
			var whole []byte
			if n < SniffSize && int64(n) == st.Size() {
				whole = head[:n] // the sniff read all of it
			}
			return read(path, name, format, &Input{Name: name, Options: opt, r: f, size: st.Size(), whole: whole}, head[:n])
		}
		in = f
	}
	// A stream: the first bytes decide whether the rest is worth reading.
	head, err := bounded.ReadAll(io.LimitReader(in, SniffSize), SniffSize, SniffSize, "")
	if err != nil {
		return nil, genid.WithFile(err, name)
	}
	format := force
	if format == nil {
		format = Detect(head)
	}
	if format == nil && len(head) == SniffSize {
		if _, padded := telling(bufio.NewReaderSize(bytes.NewReader(head), 16)); padded {
			// Comments and blank lines only, so far: read on (bounded)
			// to the first telling line.
			rest, err := bounded.ReadAll(bounded.LineLimit(in, bounded.MaxLineSize, bounded.MaxFileSize), bounded.MaxFileSize-int64(len(head)), 0, "a configuration file")
			if err != nil {
				return nil, genid.WithFile(err, name)
			}
			data := append(head, rest...)
			if format = DetectFile(bytes.NewReader(data), int64(len(data)), head); format != nil {
				return read(path, name, format, &Input{Name: name, Options: opt, r: bytes.NewReader(data), size: int64(len(data)), whole: data}, head)
			}
		}
	}
	if format == nil {
		return read(path, name, nil, nil, head)
	}
	if format.Random && !format.Sniff(NewHead(head)) {
		// A container announces itself in its first bytes: reading on
		// could only end in the same refusal.
		return nil, &UnrecognizedError{Input: name, Reason: "not a " + format.Description + " (" + Describe(head) + ")"}
	}
	data := head
	if len(head) == SniffSize {
		var rest io.Reader = in
		if !format.Random {
			// Text: a line past the limit is refused as it arrives.
			rest = bounded.LineLimit(io.MultiReader(bytes.NewReader(head), in), bounded.MaxLineSize, bounded.MaxFileSize)
			data = nil
		}
		more, err := bounded.ReadAll(rest, bounded.MaxFileSize-int64(len(data)), 0, "a configuration file")
		if err != nil {
			return nil, genid.WithFile(err, name)
		}
		data = append(data, more...)
	}
	return read(path, name, format, &Input{Name: name, Options: opt, r: bytes.NewReader(data), size: int64(len(data)), whole: data}, head)
}

// ReadBytes reads an input held in memory, such as a domain's XML a live
// inventory fetched; name is how messages and records name it. The format
// is detected unless force names one.
func ReadBytes(name string, data []byte, force *Format) (*Result, error) {
	if len(data) > bounded.MaxFileSize {
		return nil, genid.WithFile(bounded.TooLarge(bounded.MaxFileSize, "a configuration"), name)
	}
	head := data[:min(len(data), SniffSize)]
	format := force
	if format == nil {
		format = Detect(head)
	}
	return read(name, name, format, &Input{Name: name, r: bytes.NewReader(data), size: int64(len(data)), whole: data}, head)
}

// ReadOpened reads an already opened file whose format the caller has
// detected; f is read from offset 0 and not closed. When the caller has
// read the whole file already, whole holds it and f is not read again;
// ReadOpened does not keep whole. Audits use it to open and read each
// file once.
func ReadOpened(path string, f io.ReaderAt, size int64, format *Format, whole []byte) (*Result, error) {
	return read(path, path, format, &Input{Name: path, r: f, size: size, whole: whole}, whole)
}

// read runs format's reader on in, sets where the result came from, and
// names the file in an error that does not name it yet.
func read(path, name string, format *Format, in *Input, head []byte) (*Result, error) {
	if format == nil {
		if disk := diskImage(head); disk != "" {
			return nil, &UnrecognizedError{Input: name, Reason: Describe(head)}
		}
		return nil, &UnrecognizedError{Input: name, Reason: "format not recognised (" + Describe(head) + "); name it with --format " + strings.Join(Names(), "|")}
	}
	rd, err := format.Read(in)
	var res *Result
	if rd != nil {
		res = &Result{Input: path, Format: format.Name, Description: format.Description, Reading: *rd}
		if format.FromPath != nil && path != "-" {
			format.FromPath(path, &res.Reading)
		}
	}
	return res, genid.WithFile(err, name)
}
