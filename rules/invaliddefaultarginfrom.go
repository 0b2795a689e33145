package rules

import (
	"github.com/distribution/reference"

	"github.com/strata-dev/strata/lint"
)

// InvalidDefaultArgInFrom reports a FROM whose image name is not valid
// with the ARGs' default values.
var InvalidDefaultArgInFrom = register(&lint.Rule{
	Code:     "InvalidDefaultArgInFrom",
	Name:     "invalid-default-arg-in-from",
	Summary:  "With the ARGs' default values the base image name must be valid",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Expands each `FROM` image with the default values of the `ARG`s declared before the first `FROM` (no " +
			"`--build-arg`), and reports it when the result is empty or not a valid image reference, e.g. " +
			"`FROM alpine:${TAG}` with `ARG TAG` and no default. As in BuildKit, a base image name that is invalid " +
			"without any variable (`FROM Ubuntu`) is reported too." + bkStops,
		Why: "The build then works only with the right `--build-arg`: a plain `docker build .` fails with " +
			"\"base name should not be blank\" or \"invalid reference format\".",
		Fix: "Give the ARG a default (`ARG TAG=3.20`), use a default in the reference (`FROM alpine:${TAG:-3.20}`), " +
			"or arrange the reference so that an empty value is still valid (`FROM alpine:3.20${VARIANT}`).",
	},
	Examples: []lint.Example{
		{Title: "An ARG without a default", Dockerfile: "ARG TAG\nFROM alpine:${TAG}\n", Want: []string{"2:6"}},
		{Title: "A default value", Dockerfile: "ARG TAG=3.20\nFROM alpine:${TAG}\n"},
	},
	Check: checkBuildKit,
})

// invalidDefaultArgInFrom reports a stage whose base name expands to
// result with the default ARG values.
func (s *bkSim) invalidDefaultArgInFrom(st *bkStage, result string) {
	base := st.st.BaseName
	why := "it is empty"
	if _, err := reference.ParseNormalizedNamed(result); err != nil && result != "" {
		why = err.Error()
	}
	msg := "the base image " + base + " is not a valid image reference: " + why
	help := "write the image as [registry/]name[:tag][@digest], in lower case"
	if base != result {
		becomes := "is empty"
		if result != "" {
			becomes = "becomes " + result + " (" + why + ")"
		}
		msg = "with the ARGs' default values the base image " + base + " " + becomes + ", which is not a valid image reference"
		help = "give the ARGs used here default values (ARG NAME=value before the first FROM), or use ${NAME:-default}"
	}
	s.add(bkFinding{
		rule: "InvalidDefaultArgInFrom", ins: st.ins, rng: s.fromImageRange(st.ins),
		msg:  msg,
		help: help,
	}, nil)
}
