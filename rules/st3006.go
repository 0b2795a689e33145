package rules

import (
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3006 reports EXPOSE 22.
var ST3006 = register(&lint.Rule{
	Code:     "ST3006",
	Name:     "ssh-port-exposed",
	Summary:  "Do not expose the SSH port (22)",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `EXPOSE 22`, `22/tcp` or `22/udp`, also when the port comes from a variable whose `ARG` or " +
			"`ENV` value is 22 (`EXPOSE ${SSH_PORT}`), or a port range that holds 22 (`EXPOSE 20-25`), in any stage and in `ONBUILD EXPOSE`.",
		Why: "Port 22 means an SSH server in the container: one more daemon running as root, host keys baked into " +
			"the image (the same for every container started from it), and usually passwords or authorized keys " +
			"that someone has to manage. `docker exec` (or `kubectl exec`) already gives a shell without any of " +
			"that.",
		Fix: "Remove the SSH server and `EXPOSE 22`; use `docker exec -it <container> sh` to get a shell. When the " +
			"image really is an SSH service (a bastion, an SFTP or Git server), suppress the finding with a reason " +
			"and make sure host keys are generated at first start, not at build time.",
		Peers: "Trivy DS-0004 (AVD-DS-0004), Checkov CKV_DOCKER_1. dockle: none. No hadolint or BuildKit rule covers it " +
			"(hadolint's DL3011 only checks the port range).",
	},
	Examples: []lint.Example{
		{Title: "SSH exposed", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\n" +
			"EXPOSE 80 22/tcp\n", Want: []string{"3:11"}},
		{Title: "Through a variable", Dockerfile: "FROM alpine:3.20\nARG SSH_PORT=22\nEXPOSE $SSH_PORT\n", Want: []string{"3:8"}},
		{Title: "A range that holds 22", Dockerfile: "FROM alpine:3.20\nEXPOSE 20-25\n", Want: []string{"2:8"}},
		{Title: "Other ports", Dockerfile: "FROM nginx:1.27\nEXPOSE 80 443 2222 8022\n"},
	},
	Check: func(p *lint.Pass) {
		secEach(p.File, func(ins *lint.Instruction) {
			if ins.Kind != "expose" {
				return
			}
			var vars map[string]string
			for _, a := range ins.Args {
				v := secUnquote(a.Value)
				if strings.Contains(v, "$") {
					if vars == nil {
						vars = secVars(ins)
					}
					var ok bool
					if v, ok = secExpand(v, vars); !ok {
						continue
					}
				}
				for _, port := range strings.Fields(v) {
					num, proto, _ := strings.Cut(port, "/")
					if portSpans22(num) && (proto == "" || strings.EqualFold(proto, "tcp") || strings.EqualFold(proto, "udp")) {
						p.Report(lint.Finding{
							At: ins, Range: a.Range,
							Message: "EXPOSE " + a.Value + " publishes the SSH port: an SSH server in a container is a root daemon with baked-in host keys",
							Help:    "remove the SSH server and this port; use docker exec (or kubectl exec) for a shell",
						})
						break
					}
				}
			}
		})
	},
})

// portSpans22 reports whether an EXPOSE port, or a range of ports (20-25),
// includes 22.
func portSpans22(num string) bool {
	lo, hi, isRange := strings.Cut(num, "-")
	if !isRange {
		return num == "22"
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a <= 22 && 22 <= b
}
