package layer

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func benchTar(n int) []byte {
	files := make([]F, 0, n)
	for i := 0; i < n; i++ {
		files = append(files, F{Name: fmt.Sprintf("usr/share/doc/pkg%03d/file%05d", i/100, i), Body: string(make([]byte, 100+i%4000))})
	}
	return testimg.Tar(files...)
}

// BenchmarkSkim is the docker-save hot path: headers only.
func BenchmarkSkim(b *testing.B) {
	data := benchTar(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Skim(bytes.NewReader(data), int64(len(data)), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadGzip is the OCI-layout hot path: decompress, parse, hash.
func BenchmarkReadGzip(b *testing.B) {
	raw := benchTar(10_000)
	data := gz(b, raw)
	b.SetBytes(int64(len(raw))) // throughput of uncompressed tar
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadBlob(Blob{R: bytes.NewReader(data), Size: -1}, BlobOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
