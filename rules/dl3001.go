package rules

import "github.com/strata-dev/strata/lint"

// DL3001 reports commands that make no sense in a build step.
var DL3001 = register(&lint.Rule{
	Code:     "DL3001",
	Name:     "pointless-command",
	Summary:  "Avoid commands that make no sense in a container build (ssh, vim, service, ps, ...)",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN (or `ONBUILD RUN`) that calls `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, " +
			"`ssh`, `top` or `vim`. Only commands are reported: `apt-get install vim` is fine.",
		Why: "A RUN step is a short-lived, non-interactive process. There is no init system to start a service " +
			"for later steps, no terminal for an editor, nothing of the build container's processes or memory is " +
			"left when the step ends, and mounting needs privileges a build does not have. Such commands either " +
			"fail, hang, or do nothing useful.",
		Fix: "Start services from `CMD`/`ENTRYPOINT`, edit files with `sed` or `COPY`, fetch private sources with " +
			"`RUN --mount=type=ssh git clone ...`, and use `RUN --mount` instead of `mount`.",
	},
	Examples: []lint.Example{
		{Title: "Starting a service in a build", Dockerfile: "FROM debian:12\nRUN service nginx start\n", Want: []string{"2:5"}},
		{Title: "Installing the tools is fine", Dockerfile: "FROM debian:12\nRUN apt-get install -y --no-install-recommends vim=2:9.0.1378-2 procps=2:4.0.2-3\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				why, bad := pointlessCommands[c.Name.Value]
				if !bad {
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: c.Name.Range(),
					Message: "`" + c.Name.Value + "` makes no sense in a build step: " + why[0],
					Help:    why[1],
				})
				return // one finding per RUN, as hadolint
			}
		})
	},
})

// pointlessCommands are hadolint's list, with why each is pointless and
// what to do instead.
var pointlessCommands = map[string][2]string{
	"free":     {"it shows the memory of the build container, which says nothing about where the image runs", "remove it"},
	"kill":     {"a RUN cannot reach the processes of other steps or of the running container", "remove it; if it stops a helper started earlier in this same RUN, suppress the finding with a reason"},
	"mount":    {"a build has no privileges to mount, and mounts do not persist into the image", "use RUN --mount=type=bind|cache|tmpfs|secret instead"},
	"ps":       {"it lists the processes of the build container, which end with the step", "remove it"},
	"service":  {"there is no init system in a build, and the service stops when this RUN ends", "start services from CMD or ENTRYPOINT when the container runs; if the service only serves the rest of this RUN (loading a database, say), suppress the finding with a reason"},
	"shutdown": {"there is no system to shut down in a build container", "remove it"},
	"ssh":      {"it needs a remote host, keys and usually a prompt, and keys used here stay in the layer", "fetch private sources with RUN --mount=type=ssh (git clone ...), or COPY them in"},
	"top":      {"it is interactive and shows only the build container's processes", "remove it"},
	"vim":      {"an interactive editor cannot be used in a non-interactive build", "edit files with sed, or COPY the finished file"},
}
