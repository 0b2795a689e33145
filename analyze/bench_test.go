package analyze

import (
	"context"
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze/source"
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
