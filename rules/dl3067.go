package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3067 reports COPY --from of a whole file system onto /.
var DL3067 = register(&lint.Rule{
	Code:     "DL3067",
	Name:     "copy-entire-filesystem",
	Summary:  "Do not copy an entire file system from another stage",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `COPY --from=<stage> / /`: a copy of another stage's whole root file system onto this one's.",
		Why: "It duplicates every file of the other stage, package databases, caches and build tools included, " +
			"into one layer, overwriting this stage's own system files: the image gets large and its contents no " +
			"longer match either base.",
		Differences: "A stage built FROM scratch (directly or through its parents) holds only what was copied " +
			"into it, such as an export stage of build artifacts; copying it whole is not reported.",
		Fix: "Copy only what the image needs, `COPY --from=build /app/bin/ /usr/local/bin/`, or build this stage " +
			"`FROM` the other one.",
	},
	Examples: []lint.Example{
		{Title: "Everything", Dockerfile: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /\n", Want: []string{"3:19"}},
		{Title: "An export stage built FROM scratch", Dockerfile: "FROM golang:1.23 AS build\nFROM scratch AS export\nCOPY --from=build /go/bin/app /usr/local/bin/app\nFROM alpine:3.20\nCOPY --from=export / /\n"},
		{Title: "Into a subdirectory", Dockerfile: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /rootfs\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "copy" || len(ins.Args) < 2 {
				continue
			}
			from, ok := ins.Flag("from")
			if !ok {
				continue
			}
			dest := ins.Args[len(ins.Args)-1]
			if strings.Trim(dest.Value, `"'`) != "/" || fromScratchStage(p.File, from.Value, ins) {
				continue
			}
			for _, src := range ins.Args[:len(ins.Args)-1] {
				if strings.Trim(src.Value, `"'`) == "/" {
					p.Report(lint.Finding{
						At: ins, Range: spanRange(src.Range, dest.Range),
						Message: "copies the whole file system of " + from.Value + " over this stage's root",
						Help:    "copy only the directories the image needs, or build this stage FROM " + from.Value,
					})
					break
				}
			}
		}
	},
})

// fromScratchStage reports whether ref names an earlier stage whose chain
// of parents starts FROM scratch: its root holds only what was put there.
func fromScratchStage(f *lint.File, ref string, at *lint.Instruction) bool {
	before := len(f.Stages)
	if at.Stage != nil {
		before = at.Stage.Index
	}
	s := stageByRef(f, ref, before)
	if s == nil || s == at.Stage {
		return false
	}
	chain := s.Ancestors()
	return strings.EqualFold(chain[len(chain)-1].Base, "scratch")
}
