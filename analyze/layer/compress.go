package layer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression of a layer blob, found from its first bytes (media types lie
// often enough, and docker save writes whatever the store holds).
type Compression uint8

// Known compressions.
const (
	Uncompressed Compression = iota
	Gzip
	Zstd
)

func (c Compression) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	}
	return "none"
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Sniff tells the compression from the first bytes of a blob.
func Sniff(head []byte) Compression {
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		return Gzip
	case bytes.HasPrefix(head, zstdMagic):
		return Zstd
	}
	return Uncompressed
}

// zstdMaxWindow bounds the memory a hostile zstd frame can make the
// decoder allocate.
const zstdMaxWindow = 64 << 20

// Decompress wraps a compressed blob stream. The returned close function
// releases decoder resources; it does not close r.
func Decompress(r io.Reader) (io.Reader, Compression, func(), error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	head, err := br.Peek(4)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, 0, nil, err
	}
	switch c := Sniff(head); c {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, c, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, c, func() { zr.Close() }, nil
	case Zstd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxWindow(zstdMaxWindow), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, c, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, c, zr.Close, nil
	default:
		return br, c, func() {}, nil
	}
}

// HashAt hashes size bytes of content at off, the way Read hashes content
// with Options.HashContent, so that both can be compared.
func HashAt(ra io.ReaderAt, off, size int64) (uint64, error) {
	h := xxhash.New()
	n, err := io.Copy(h, io.NewSectionReader(ra, off, size))
	if err != nil {
		return 0, err
	}
	if n != size {
		return 0, io.ErrUnexpectedEOF
	}
	return h.Sum64(), nil
}
