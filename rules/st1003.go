package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1003 reports an archive a RUN downloads and unpacks but never deletes.
var ST1003 = register(&lint.Rule{
	Code:     "ST1003",
	Name:     "downloaded-archive-kept",
	Summary:  "Delete a downloaded archive in the RUN that unpacks it, or stream it into the extractor",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `curl` or `wget` download of an archive or package (`.tar.gz`, `.zip`, " +
			"`.deb`, `.rpm`, `.whl`, ...) that the same `RUN` unpacks or installs (`tar -x`, `unzip`, `dpkg -i`, `rpm -i`, " +
			"`pip install`) without deleting it afterwards, in a stage that reaches the image. A cache or tmpfs mount " +
			"over the file's directory, or a later `rm` of it or of a directory holding it, counts as deleting it.",
		Why: "The layer keeps the compressed archive next to everything that was unpacked from it: the image carries " +
			"the same software twice, once compressed. Deleting it in a later RUN is too late (see ST1001).",
		Fix: "Stream it, so that it never touches the disk: `curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt`, " +
			"or delete it in the same RUN: `... && tar -xzf app.tar.gz -C /opt && rm app.tar.gz`.",
		Peers: "complements DL3010 (a local archive copied and extracted) and ST1001 (deleted in a later RUN).",
	},
	Examples: []lint.Example{
		{Title: "Unpacked and kept", Dockerfile: "FROM debian:12\nRUN curl -fsSLO https://nodejs.org/dist/v22.11.0/node-v22.11.0-linux-x64.tar.xz && tar -xJf node-v22.11.0-linux-x64.tar.xz -C /opt\n", Want: []string{"2:5"}},
		{Title: "A package installed and kept", Dockerfile: "FROM debian:12\nRUN wget -q -O /tmp/app.deb https://example.com/app_1.0_amd64.deb && dpkg -i /tmp/app.deb\n", Want: []string{"2:5"}},
		{Title: "Streamed", Dockerfile: "FROM debian:12\nRUN curl -fsSL https://nodejs.org/dist/v22.11.0/node-v22.11.0-linux-x64.tar.xz | tar -xJ -C /opt\n"},
		{Title: "Deleted in the same RUN", Dockerfile: "FROM debian:12\nRUN cd /tmp && wget -q https://example.com/app.zip && unzip app.zip -d /opt && rm -rf /tmp/*\n"},
		{Title: "In a build stage", Dockerfile: "FROM debian:12 AS fetch\nRUN curl -fsSLO https://example.com/app.tgz && tar -xzf app.tgz\nFROM debian:12\nCOPY --from=fetch /app /app\n"},
	},
	Check: func(p *lint.Pass) {
		walkLayers(p.File, func(ins *lint.Instruction, _ *lint.Script, _ *layerState, rf *runFiles) {
			if !stageKept(p.File, ins) {
				return
			}
			for _, d := range rf.downloads {
				if d.dir || !packageFile(d.path) {
					continue
				}
				x, ok := extractionOf(rf, d.path, d.cmd.Index)
				if !ok || rf.removedBy(d.path, x.cmd.Index) || mountedOver(ins, d.path) {
					continue
				}
				name := path.Base(d.path)
				verb := "unpacked"
				if x.into == "" {
					verb = "installed"
				}
				p.Report(lint.Finding{
					At: ins, Range: d.cmd.Range(),
					Message: "`" + name + "` is downloaded and " + verb + " but never deleted: the layer keeps the archive as well as what " +
						x.cmd.Name.Value + " made of it",
					Help: "add `&& rm " + showPath(d.path) + "` after `" + x.cmd.Name.Value + "`, or stream it: curl -fsSL URL | tar -x -C DIR",
				})
				return
			}
		})
	},
})

// packageFile reports whether a name is an archive or a package file that
// is unpacked or installed rather than used as it is.
func packageFile(p string) bool {
	name := path.Base(p)
	if isArchiveName(name) || isTarName(name) {
		return true
	}
	for _, ext := range []string{".zip", ".deb", ".rpm", ".whl", ".apk", ".7z"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// extractionOf finds the command after index that unpacks or installs the
// archive at p.
func extractionOf(rf *runFiles, p string, after int) (extraction, bool) {
	for _, x := range rf.extracts {
		if x.cmd.Index > after && x.archive == p {
			return x, true
		}
	}
	return extraction{}, false
}

// mountedOver reports whether a cache or tmpfs mount of the RUN holds p.
func mountedOver(ins *lint.Instruction, p string) bool {
	if _, ok := ins.Flag("mount"); !ok {
		return false
	}
	for _, m := range ins.Mounts() {
		if (m.Type == "cache" || m.Type == "tmpfs") && m.Target != "" && covers(path.Clean(m.Target), p) {
			return true
		}
	}
	return false
}
