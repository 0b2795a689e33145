package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3062 reports go install/get/run of a module without a version.
var DL3062 = register(&lint.Rule{
	Code:     "DL3062",
	Name:     "go-version-pinning",
	Summary:  "Pin versions in `go install`: `go install <package>@<version>`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports the packages of `go install` and `go get`, and the package of `go run`, that have no " +
			"`@version` or use `@latest` or `@none`, in `RUN` and `ONBUILD RUN`. Local paths (`.`, `./cmd/x`, " +
			"`/src/app`) and `.go` files are fine: they build what is in the context.",
		Why: "Without a version, Go resolves the newest release at build time: two builds of the same commit can " +
			"get different code, and a new major release of a tool can break the build.",
		Fix: "`RUN go install golang.org/x/tools/gopls@v0.16.2`.",
		Differences: "The standard library (`go install std`, `cmd/...`) needs no version. hadolint reads the first two words after `go run` (so `go run -tags x pkg` reports `x`), checks " +
			"only the `go run` commands of a RUN that has any, and reports `go run main.go`; strata skips option " +
			"values, checks every command, and takes `.go` files as local. It also requires install, get or run to " +
			"be the go subcommand, so `go test -run install` is not read as an install.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM golang:1.23\nRUN go install example.com/tool\n", Want: []string{"2:16"}},
		{Title: "@latest", Dockerfile: "FROM golang:1.23\nRUN go run example.com/gen@latest ./api\n", Want: []string{"2:12"}},
		{Title: "Pinned and local", Dockerfile: "FROM golang:1.23\nRUN go install example.com/tool@v1.2.3 && go install ./cmd/... && go run ./tools/gen.go\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			var bad []unpinnedPkg
			for _, c := range s.Commands {
				for _, w := range goPackages(c) {
					if !goPinned(w.Value) {
						bad = append(bad, unpinnedPkg{word: w, name: w.Value})
					}
				}
			}
			if len(bad) == 0 {
				return
			}
			why := "has no version"
			if strings.Contains(bad[0].name, "@") {
				why = "names a moving version"
			}
			p.Report(lint.Finding{
				At: ins, Range: bad[0].word.Range(),
				Message: "go package " + quoteList([]string{bad[0].name}) + " " + why +
					", so each build may fetch different code" + moreOf(len(bad)-1),
				Help: "pin a release: " + goPinHint(bad[0].name),
			})
		})
	},
})

func moreOf(n int) string {
	if n <= 0 {
		return ""
	}
	return " (and " + itoa(n) + " more in this RUN)"
}

func goPinHint(pkg string) string {
	if i := strings.LastIndexByte(pkg, '@'); i > 0 {
		pkg = pkg[:i]
	}
	return pkg + "@vX.Y.Z"
}

// goBuildValueFlags are go build flags whose value may be a separate word.
var goBuildValueFlags = map[string]bool{
	"-tags": true, "-ldflags": true, "-gcflags": true, "-asmflags": true, "-gccgoflags": true, "-mod": true,
	"-modfile": true, "-o": true, "-p": true, "-C": true, "-exec": true, "-overlay": true, "-pkgdir": true,
	"-toolexec": true, "-buildmode": true, "-compiler": true, "-installsuffix": true, "-pgo": true,
	"-covermode": true, "-coverpkg": true, "-buildvcs": false,
}

// goPackages returns the package words of go install, go get and go run.
func goPackages(c *lint.Command) []lint.Word {
	if !c.Is("go") {
		return nil
	}
	var sub string
	var out []lint.Word
	skip := false
	for _, a := range c.Args {
		if skip {
			skip = false
			continue
		}
		v := a.Value
		if a.IsFlag() {
			name := v
			if i := strings.IndexByte(name, '='); i >= 0 {
				name = ""
			}
			name = "-" + strings.TrimLeft(name, "-")
			skip = goBuildValueFlags[name]
			continue
		}
		if sub == "" {
			sub = v
			if sub != "install" && sub != "get" && sub != "run" {
				return nil
			}
			continue
		}
		out = append(out, a)
		if sub == "run" {
			break // the rest are the program's arguments
		}
	}
	return out
}

var goStdPatterns = map[string]bool{"std": true, "cmd": true}

func goPinned(pkg string) bool {
	if goStdPatterns[pkg] || strings.HasPrefix(pkg, "cmd/") {
		return true // the standard library comes with the toolchain
	}
	if pkg == "." || strings.HasPrefix(pkg, "/") || strings.HasPrefix(pkg, ".") || strings.HasSuffix(pkg, ".go") {
		return true
	}
	i := strings.LastIndexByte(pkg, '@')
	if i < 0 {
		return false
	}
	v := pkg[i+1:]
	return v != "latest" && v != "none" && v != ""
}
