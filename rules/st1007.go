package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"

	"github.com/strata-dev/strata/lint"
)

// ST1007 reports apt and aptitude installs with recommended packages, where
// DL3015 (apt-get only) does not look.
var ST1007 = register(&lint.Rule{
	Code:     "ST1007",
	Name:     "apt-recommends",
	Summary:  "Install without recommended packages: `apt install --no-install-recommends`",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports `apt install` and `aptitude install` (DL3015 covers `apt-get install`) without " +
			"`--no-install-recommends` (`--without-recommends` or `-R` for aptitude) or `-o APT::Install-Recommends=false`, " +
			"unless an earlier RUN of the stage (or of a stage it is built FROM) writes `APT::Install-Recommends` " +
			"into apt's configuration.",
		Why: "Debian's and Ubuntu's images install recommended packages by default: documentation, optional tools, " +
			"sometimes whole desktop stacks, often larger than what was asked for, each one more thing to scan and patch.",
		Fix: "`RUN apt install -y --no-install-recommends curl`, naming any recommended package the program needs, or " +
			"once per stage: `RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99no-recommends`. " +
			"The fix adds the flag after `install`; it is unsafe because a program may rely on a recommended package.",
		Peers: "complements DL3015.",
	},
	Examples: []lint.Example{
		{Title: "apt install", Dockerfile: "FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n", Want: []string{"2:19"},
			Fixed: "FROM ubuntu:24.04\nRUN apt update && apt install --no-install-recommends -y curl\n"},
		{Title: "--no-install-recommends", Dockerfile: "FROM ubuntu:24.04\nRUN apt update && apt install -y --no-install-recommends curl\n"},
		{Title: "Configured once", Dockerfile: "FROM ubuntu:24.04\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\nRUN apt update && apt install -y curl\n"},
	},
	Check: func(p *lint.Pass) {
		configured := map[*lint.Stage]bool{}
		for _, st := range p.File.Stages {
			if st.Parent != nil && configured[st.Parent] {
				configured[st] = true
			}
			for _, ins := range st.Instructions {
				s := ins.Script()
				if s == nil || s.Err != nil {
					continue
				}
				if configured[st] || noRecommends().MatchString(s.Text) {
					configured[st] = true
					continue
				}
				for _, c := range s.Commands {
					if !c.Is("apt", "aptitude") || !c.HasArg("install") || c.HasFlag("no-install-recommends", "without-recommends", "R") ||
						c.HasArg("APT::Install-Recommends=false", "APT::Install-Recommends=0") {
						continue
					}
					install, _ := argWord(c, "install")
					flag := " --no-install-recommends"
					if c.Is("aptitude") {
						flag = " --without-recommends"
					}
					p.Report(lint.Finding{
						At: ins, Range: commandHead(c, "install"),
						Message: "`" + c.Name.Value + " install` also installs every recommended package, often more than was asked for",
						Help:    "add" + flag + ", and name any recommended package you really need",
						Fix:     &lint.Fix{Title: "add" + flag, Edits: []lint.Edit{insertAfter(install.Range(), flag)}},
					})
					break
				}
			}
		}
	},
})

var noRecommends = lazyre.New(`APT::Install-Recommends\s*"?(?:false|0)`)
