package analyze

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

type F = testimg.File

// analyzeImage writes img as an OCI layout and analyzes it.
func analyzeImage(t testing.TB, img v1.Image, o Options) *Result {
	t.Helper()
	dir := testimg.WriteLayout(t, t.TempDir(), img, "")
	return analyzeRef(t, "oci:"+dir, o)
}

func analyzeRef(t testing.TB, ref string, o Options) *Result {
	t.Helper()
	r, err := source.ParseRef(ref)
	if err != nil {
		t.Fatal(err)
	}
	si, err := source.Open(context.Background(), r, source.Options{Layer: LayerOptions(o)})
	if err != nil {
		t.Fatal(err)
	}
	defer si.Close()
	res, err := Analyze(context.Background(), si, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func layers(compress bool, tars ...[]byte) v1.Image {
	var steps []testimg.Step
	for _, t := range tars {
		steps = append(steps, testimg.Step{CreatedBy: "RUN step", Layer: t})
	}
	return testimg.Image(compress, steps...)
}

func body(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return string(b)
}
