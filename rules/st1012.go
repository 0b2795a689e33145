package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1012 reports COPY --from of a whole stage into a directory.
var ST1012 = register(&lint.Rule{
	Code:     "ST1012",
	Name:     "copy-whole-stage",
	Summary:  "Copy what the image needs from another stage, not its whole file system",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `COPY --from=<stage> / <dir>`: the whole root file system of another stage copied into a " +
			"directory (DL3067 reports the copy onto `/`), when that stage has an operating system: it or a stage it is " +
			"built FROM runs a command. A stage built FROM scratch, which holds only what was put in it, may be copied " +
			"whole; images are not judged, since many hold nothing but binaries.",
		Why: "The copy brings the other stage's operating system along: package databases, shells, caches, compilers " +
			"and everything its base image had, all committed again in one layer of this image.",
		Fix: "Copy the directories the image needs (`COPY --from=build /app/dist /srv/app`), or collect them in a stage " +
			"FROM scratch and copy that one whole.",
		Peers: "complements DL3067.",
	},
	Examples: []lint.Example{
		{Title: "A whole stage into a directory", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build / /rootfs\n", Want: []string{"4:19"}},
		{Title: "Only the output", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n"},
		{Title: "An export stage", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM scratch AS out\nCOPY --from=build /out/app /app\nFROM alpine:3.20\nCOPY --from=out / /opt/\n"},
	},
	Check: func(p *lint.Pass) {
		visitInstructions(p.File, false, func(ins *lint.Instruction) {
			from, ok := ins.Flag("from")
			if !ok || len(ins.Args) < 2 {
				return
			}
			dest := strings.Trim(ins.Args[len(ins.Args)-1].Value, `"'`)
			if path.Clean("/"+dest) == "/" && strings.HasPrefix(dest, "/") || !hasSystem(p.File, from.Value, ins) {
				return // DL3067's case, or no operating system to drag along
			}
			for _, src := range ins.Args[:len(ins.Args)-1] {
				v := strings.Trim(src.Value, `"'`)
				if v != "/" && v != "." && v != "/." && v != "./" {
					continue
				}
				what := "stage " + from.Value
				p.Report(lint.Finding{
					At: ins, Range: spanRange(src.Range, ins.Args[len(ins.Args)-1].Range),
					Message: "copies the whole file system of " + what + " into `" + dest + "`: its base image's system files and caches come along",
					Help:    "copy only the directories the image needs, or gather them in a stage FROM scratch",
				})
				return
			}
		}, "copy")
	},
})

// hasSystem reports whether ref names an earlier stage that certainly has
// an operating system: one of its chain of stages runs a command (which
// needs a shell), and the chain does not go through a FROM whose image is
// chosen by a variable. Images copied from directly are not judged: many
// are built FROM scratch with binaries only.
func hasSystem(f *lint.File, ref string, at *lint.Instruction) bool {
	if strings.Contains(ref, "$") || fromScratchStage(f, ref, at) {
		return false
	}
	before := len(f.Stages)
	if at.Stage != nil {
		before = at.Stage.Index
	}
	s := stageByRef(f, ref, before)
	if s == nil || s == at.Stage {
		return false
	}
	chain := s.Ancestors()
	if strings.Contains(chain[len(chain)-1].Base, "$") {
		return false
	}
	for _, st := range chain {
		for _, ins := range st.Instructions {
			if ins.Kind == "run" {
				return true
			}
		}
	}
	return false
}
