package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ExposeInvalidFormat reports EXPOSE with an IP address or a host port.
var ExposeInvalidFormat = register(&lint.Rule{
	Code:     "ExposeInvalidFormat",
	Name:     "expose-invalid-format",
	Summary:  "EXPOSE takes container ports only: no IP address, no host-port mapping",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports an `EXPOSE` port written with a host port or an IP address, such as `8080:80` or " +
			"`127.0.0.1:8080:80`." + bkStops,
		Why: "`EXPOSE` only documents which ports the container listens on; it cannot publish a port. The host part " +
			"is ignored (only the container port is recorded), and Docker warns that it will become an error.",
		Fix: "Write the container port only, `EXPOSE 80`, and publish it when running: `docker run -p 127.0.0.1:8080:80`.",
	},
	Examples: []lint.Example{
		{Title: "A host-port mapping", Dockerfile: "FROM nginx:1.27\nEXPOSE 8080:80\n", Want: []string{"2:8"}},
		{Title: "The container port", Dockerfile: "FROM nginx:1.27\nEXPOSE 80\n"},
	},
	Check: checkBuildKit,
})

func (s *bkSim) exposeInvalidFormat(c bkCmd, raw, containerPort string) {
	s.add(bkFinding{
		rule: "ExposeInvalidFormat", ins: c.ins, rng: s.cmdRange(c, func(ins *lint.Instruction) lint.Range { return argRange(ins, raw) }),
		msg:  "EXPOSE " + raw + " has an IP address or host port, which EXPOSE ignores: only " + containerPort + " is exposed" + s.triggerNote(c),
		help: "write EXPOSE " + containerPort + " and publish the port at run time (docker run -p)",
	}, c.comments)
}
