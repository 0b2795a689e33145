package rules

import "github.com/strata-dev/strata/lint"

// DL3024 reports two stages with the same name.
var DL3024 = register(&lint.Rule{
	Code:     "DL3024",
	Name:     "unique-stage-alias",
	Summary:  "Stage names (`FROM ... AS name`) must be unique",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `FROM ... AS NAME` when an earlier stage already has that name.",
		Why: "BuildKit only warns about a duplicate stage name (DuplicateStageName) and then resolves `COPY " +
			"--from=NAME`, `FROM NAME` and `--target NAME` to one of the stages, silently: which one is not obvious " +
			"to a reader, and renaming or reordering stages changes what gets built.",
		Fix: "Rename one of the stages, and update the `--from` and `FROM` references to it.",
		Differences: "Names are compared without regard to case, as BuildKit does (it lower-cases stage names, so " +
			"`AS Build` and `AS build` are the same stage); hadolint compares them exactly.",
	},
	Examples: []lint.Example{
		{Title: "Two stages named build", Dockerfile: "FROM golang:1.23 AS build\nFROM rust:1.82 AS build\n", Want: []string{"2:19"}},
		{Title: "Distinct names", Dockerfile: "FROM golang:1.23 AS build-go\nFROM rust:1.82 AS build-rust\n"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range p.File.Stages {
			if s.Name == "" || !isStageName(p.File, s.Name, s.Index) {
				continue
			}
			first := p.File.StageByName(s.Name)
			r := s.From.Range()
			if n := len(s.From.Args); n >= 3 {
				r = s.From.Args[n-1].Range
			}
			p.Report(lint.Finding{
				At: s.From, Range: r,
				Message: "stage name " + s.Name + " is already used by the stage on line " + itoa(first.From.StartLine),
				Help:    "give this stage another name and update the --from and FROM references to it",
			})
		}
	},
})
