package vmcx

import (
	"bytes"
	"hash/crc32"
	"testing"
)

// TestViewReads checks reads served from the head buffer, from the file
// beyond it, across its end, and through journal patches, against the
// bytes of the image they stand for.
func TestViewReads(t *testing.T) {
	file := make([]byte, 1000)
	for i := range file {
		file[i] = byte(i * 7)
	}
	v := &view{r: bytes.NewReader(file), real: int64(len(file)), size: int64(len(file))}
	v.readHead()
	defer v.release()
	v.head = v.head[:300] // as if the file were longer than the head buffer
	patch := []byte{0xaa, 0xbb, 0xcc}
	v.patch(100, patch)
	v.patch(990, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) // grows the image
	image := append(append([]byte(nil), file...), make([]byte, 10)...)
	copy(image[100:], patch)
	copy(image[990:], []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	for _, r := range []struct{ off, n int }{
		{0, 50}, {250, 50}, // in the head
		{95, 10},   // in the head, through a patch
		{280, 40},  // across the head's end
		{500, 100}, // beyond the head
		{980, 30},  // past the file's end, into a patch
		{0, 1010},  // everything
	} {
		got, err := v.read(int64(r.off), r.n, "test")
		if err != nil || !bytes.Equal(got, image[r.off:r.off+r.n]) {
			t.Errorf("read(%d, %d) = % x, %v; want % x", r.off, r.n, got, err, image[r.off:r.off+r.n])
		}
	}
	if _, err := v.read(1000, 11, "test"); err == nil {
		t.Error("a read past the image's end succeeded")
	}
}

// TestCRCZeroed checks the checksum with a zeroed field against the
// checksum of a copy with the field set to zero, and that b is unchanged.
func TestCRCZeroed(t *testing.T) {
	var v view
	// Every length up to past the padded ones, and a few long ones.
	var lengths []int
	for n := 4; n <= 300; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range append(lengths, 5000, 5001) {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*13 + n)
		}
		orig := append([]byte(nil), b...)
		for _, off := range []int{0, n/2 - 2, n - 4} {
			if off < 0 {
				continue
			}
			want := append([]byte(nil), b...)
			clear(want[off : off+4])
			if got := v.crcZeroed(b, off); got != crc32.ChecksumIEEE(want) {
				t.Errorf("n=%d off=%d: %#08x, want %#08x", n, off, got, crc32.ChecksumIEEE(want))
			}
			if !bytes.Equal(b, orig) {
				t.Fatalf("n=%d off=%d: the input was changed", n, off)
			}
		}
	}
}
