package analyze

import (
	"context"
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// perfImage is made by the test environment (a ~510 MB, 7-layer
// Debian-based image); benchmarks that need it skip without it.
const perfImage = "/tmp/strata-perf/debian510.tar"

func benchRef(b *testing.B, ref string, o Options) {
	b.Helper()
	r, err := source.ParseRef(ref)
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		img, err := source.Open(context.Background(), r, source.Options{Layer: LayerOptions(o)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Analyze(context.Background(), img, o); err != nil {
			b.Fatal(err)
		}
		img.Close()
	}
}

func BenchmarkDockerArchiveSkim(b *testing.B) {
	if _, err := os.Stat(perfImage); err != nil {
		b.Skip("no perf image")
	}
	benchRef(b, "docker-archive:"+perfImage, Options{})
}

func BenchmarkOCILayoutGzip(b *testing.B) {
	if _, err := os.Stat("/tmp/strata-perf/debian510-oci"); err != nil {
		b.Skip("no perf image")
	}
	benchRef(b, "oci:/tmp/strata-perf/debian510-oci", Options{})
}

// BenchmarkStackAndFigures measures stacking, waste, dive and findings on
// a layout of 4 layers of 25,000 files each (no perf image needed).
func BenchmarkStackAndFigures(b *testing.B) {
	dir := b.TempDir()
	if err := testimg.WriteManyFiles(dir, 100_000, 25_000); err != nil {
		b.Fatal(err)
	}
	benchRef(b, "oci:"+dir, Options{})
}
