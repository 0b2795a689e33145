package rules

import "github.com/strata-dev/strata/lint"

// DL4001 reports a stage that uses both curl and wget.
var DL4001 = register(&lint.Rule{
	Code:     "DL4001",
	Name:     "wget-and-curl",
	Summary:  "Use either wget or curl, not both",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports each `RUN` that uses `curl` or `wget` once both have been used in the stage (`ONBUILD RUN`s " +
			"are checked among themselves).",
		Why: "Two download tools do the same job: the image carries both, with their libraries, and two sets of " +
			"options (proxies, certificates, retries) to get right.",
		Fix: "Pick one and use it everywhere in the stage, e.g. `curl -fsSL -o file URL` instead of `wget URL`.",
	},
	Examples: []lint.Example{
		{Title: "Both", Dockerfile: "FROM debian:12\nRUN wget -nv https://example.com/a.tgz\nRUN curl -fsSLO https://example.com/b.tgz\n", Want: []string{"3:5"}},
		{Title: "Different stages", Dockerfile: "FROM debian:12 AS a\nRUN wget -nv https://example.com/a.tgz\nFROM debian:12\nRUN curl -fsSLO https://example.com/b.tgz\n"},
	},
	Check: func(p *lint.Pass) {
		main, onbuild := &downloadTools{}, &downloadTools{}
		for _, ins := range p.File.Instructions {
			switch {
			case ins.Kind == "from":
				*main = downloadTools{}
			case ins.Kind == "run":
				main.check(p, ins)
			case ins.OnBuild != nil && ins.OnBuild.Kind == "run":
				onbuild.check(p, ins.OnBuild)
			}
		}
	},
})

// downloadTools remembers where curl and wget were first used.
type downloadTools struct {
	line map[string]int
}

func (d *downloadTools) check(p *lint.Pass, ins *lint.Instruction) {
	s := ins.Script()
	if s == nil || s.Err != nil {
		return
	}
	var here *lint.Command
	for _, c := range s.Commands {
		if c.Is("curl", "wget") {
			if here == nil {
				here = c
			}
			if d.line == nil {
				d.line = map[string]int{}
			}
			if _, ok := d.line[c.Name.Value]; !ok {
				d.line[c.Name.Value] = ins.StartLine
			}
		}
	}
	if here == nil || len(d.line) < 2 {
		return
	}
	other := "curl"
	if here.Name.Value == "curl" {
		other = "wget"
	}
	where := "line " + itoa(d.line[other])
	if d.line[other] == ins.StartLine {
		where = "this RUN"
	}
	p.Report(lint.Finding{
		At: ins, Range: here.Name.Range(),
		Message: "this stage uses both " + here.Name.Value + " and " + other + " (" + where + "): two download tools in one image",
		Help:    "use one of them throughout the stage",
	})
}
