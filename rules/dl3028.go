package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3028 reports gem install without a version.
var DL3028 = register(&lint.Rule{
	Code:     "DL3028",
	Name:     "gem-unpinned",
	Summary:  "Pin versions in `gem install`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `gem install` or `gem i` (in a RUN or `ONBUILD RUN`) of a gem without a version (`rails` " +
			"instead of `rails:7.2.1`). A command with `-v`/`--version` is not checked, and neither is anything " +
			"after `--` (build options). As in hadolint, the word after any option is taken as the option's value. " +
			"One finding per RUN, at the first unpinned gem.",
		Why: "Without a version, each build installs the newest release of the gem: builds of the same commit " +
			"differ, and a new major release can break the image without any change to the Dockerfile.",
		Fix: "`RUN gem install bundler:2.5.22`, `gem install rails -v 7.2.1`, or install from a `Gemfile.lock` with " +
			"`bundle install`.",
		Differences: "A local gem file (`gem install --local ./pups-1.4.0.gem`) names its version and is not reported; " +
			"hadolint reports it.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM ruby:3.3\nRUN gem install bundler\n", Want: []string{"2:17"}},
		{Title: "name:version and -v", Dockerfile: "FROM ruby:3.3\nRUN gem install bundler:2.5.22\nRUN gem install rails -v 7.2.1\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			var bad []lint.Word
			for _, c := range s.Commands {
				if !c.Is("gem") || !c.HasArg("install", "i") || c.HasArg("-v", "--version") || hasArgPrefix(c, "--version=") {
					continue
				}
				for _, g := range gemOperands(c) {
					if !strings.Contains(g.Value, ":") && !strings.HasSuffix(g.Value, ".gem") {
						bad = append(bad, g)
					}
				}
			}
			if len(bad) == 0 {
				return
			}
			bad = literalFirst(bad)
			p.Report(lint.Finding{
				At: ins, Range: bad[0].Range(), Message: unpinnedMessage("gem", bad),
				Help: "pin the version you tested: gem install " + bad[0].Value + ":<version> (or -v <version>)",
			})
		})
	},
})

// gemOperands are the gem names of a gem install, read as hadolint does:
// up to "--", skipping every option and the word after it.
func gemOperands(c *lint.Command) []lint.Word {
	var out []lint.Word
	args := c.Args
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return out
		case strings.HasPrefix(v, "-"):
			i++ // the option's value, as hadolint assumes
		case v != "install" && v != "i":
			out = append(out, args[i])
		}
	}
	return out
}

func hasArgPrefix(c *lint.Command, prefix string) bool {
	for _, a := range c.Args {
		if strings.HasPrefix(a.Value, prefix) {
			return true
		}
	}
	return false
}
