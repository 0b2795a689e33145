package analyze

import (
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func TestBaseFromHistoryBoundary(t *testing.T) {
	img := testimg.Image(true,
		testimg.Step{CreatedBy: "ADD rootfs.tar /", Layer: testimg.Tar(F{Name: "a", Body: "1"})},
		testimg.Step{CreatedBy: "RUN base tools", Layer: testimg.Tar(F{Name: "b", Body: "2"})},
		testimg.Step{CreatedBy: `/bin/sh -c #(nop)  CMD ["bash"]`},
		testimg.Step{CreatedBy: "RUN app", Layer: testimg.Tar(F{Name: "c", Body: "33"})},
		testimg.Step{CreatedBy: `ENTRYPOINT ["/c"]`},
	)
	r := analyzeImage(t, img, Options{})
	if r.Base.Layers != 2 || r.Base.Source != "history" || !r.Layers[1].Base || r.Layers[2].Base {
		t.Errorf("base = %+v", r.Base)
	}
	if r.Figures.UserSize != 2 {
		t.Errorf("user size = %d, want 2 (both base layers excluded)", r.Figures.UserSize)
	}
	if r.Layers[2].History == nil || r.Layers[2].History.CreatedBy != "RUN app" {
		t.Errorf("history of layer 3 = %+v", r.Layers[2].History)
	}
}

func TestBaseFromFlagAndFallback(t *testing.T) {
	steps := []testimg.Step{
		{CreatedBy: "RUN one", Layer: testimg.Tar(F{Name: "a", Body: "1"})},
		{CreatedBy: "RUN two", Layer: testimg.Tar(F{Name: "b", Body: "2"})},
		{CreatedBy: "RUN three", Layer: testimg.Tar(F{Name: "c", Body: "3"})},
	}
	img := testimg.Image(false, steps...)
	base := analyzeImage(t, testimg.Image(false, steps[:2]...), Options{})
	r := analyzeImage(t, img, Options{Base: &BaseImage{Name: "base", DiffIDs: []string{base.Layers[0].DiffID, base.Layers[1].DiffID}}})
	if r.Base.Layers != 2 || r.Base.Source != "flag" {
		t.Errorf("--base: %+v", r.Base)
	}
	r = analyzeImage(t, img, Options{})
	if r.Base.Layers != 1 || r.Base.Source != "first-layer" {
		t.Errorf("fallback: %+v", r.Base)
	}
}

func TestExampleBaseFromAnnotation(t *testing.T) {
	r := analyzeRef(t, "oci:../testdata/images/example", Options{})
	if r.Base.Layers != 2 || r.Base.Source != "annotation" || r.Base.Image != "strata.example/base:1" {
		t.Errorf("base = %+v", r.Base)
	}
}

func TestBaseAnnotationResolvedInRegistry(t *testing.T) {
	base := testimg.Image(true,
		testimg.Step{CreatedBy: "ADD rootfs", Layer: testimg.Tar(F{Name: "a", Body: "1"})},
		testimg.Step{CreatedBy: "RUN more base", Layer: testimg.Tar(F{Name: "b", Body: "2"})})
	baseRef := testimg.Registry(t, base, "base:1")
	app, err := mutate.Append(base, mutate.Addendum{Layer: testimg.Layer(testimg.Tar(F{Name: "c", Body: "3"}), true),
		History: v1.History{CreatedBy: "RUN app"}})
	if err != nil {
		t.Fatal(err)
	}
	bd, _ := base.Digest()
	app = mutate.Annotations(app, map[string]string{AnnotationBaseName: baseRef, AnnotationBaseDigest: bd.String()}).(v1.Image)
	appRef := testimg.Registry(t, app, "app:1")
	r := analyzeRef(t, "docker://"+appRef, Options{})
	if r.Base.Layers != 2 || r.Base.Source != "annotation" {
		t.Errorf("base = %+v (warnings %q)", r.Base, r.Warnings)
	}
}
