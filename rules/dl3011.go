package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3011 reports an EXPOSE port outside 0-65535.
var DL3011 = register(&lint.Rule{
	Code:     "DL3011",
	Name:     "invalid-port",
	Summary:  "Valid UNIX ports range from 0 to 65535",
	Severity: lint.SeverityError,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an `EXPOSE` of a port, or a port range bound, above 65535. Ports given by a variable are " +
			"not checked. One finding per instruction, at the first invalid port.",
		Why: "TCP and UDP ports are 16-bit numbers. An out-of-range port is a typo (often a missing separator, " +
			"`80800` for `8080`) and the image documents, and publishes with `-P`, a port nothing listens on.",
		Fix: "Correct the number: `EXPOSE 8080`, or `EXPOSE 8000-8010/tcp` for a range.",
	},
	Examples: []lint.Example{
		{Title: "Out of range", Dockerfile: "FROM nginx:1.27\nEXPOSE 80 80800/tcp\n", Want: []string{"2:11"}},
		{Title: "Ports, a range and a variable", Dockerfile: "FROM nginx:1.27\nARG PORT=8080\nEXPOSE 80 443/tcp 8000-8010/udp ${PORT}\n"},
	},
	Check: func(p *lint.Pass) {
		for _, ins := range p.File.Instructions {
			if ins.Kind != "expose" {
				continue
			}
			for _, a := range ins.Args {
				if bad, ok := invalidPort(a.Value); ok {
					p.Report(lint.Finding{
						At: ins, Range: a.Range,
						Message: "port " + bad + " is out of range: ports go from 0 to 65535",
						Help:    "correct the port number (a missing separator, as in 80800 for 8080, is the usual cause)",
					})
					break
				}
			}
		}
	},
})

// invalidPort returns the first number of a port spec (8080, 80/tcp,
// 8000-8010/udp) that is above 65535.
func invalidPort(spec string) (string, bool) {
	spec = dropQuotes(spec)
	if i := strings.IndexByte(spec, '/'); i >= 0 {
		spec = spec[:i]
	}
	for _, part := range strings.SplitN(spec, "-", 2) {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			continue
		}
		n := strings.TrimLeft(part, "0")
		if len(n) > 5 || (len(n) == 5 && n > "65535") {
			return part, true
		}
	}
	return "", false
}
