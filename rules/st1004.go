package rules

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/strata-dev/strata/lint"
)

// ST1004 reports ADD of a remote archive without --checksum.
var ST1004 = register(&lint.Rule{
	Code:     "ST1004",
	Name:     "remote-archive-add",
	Summary:  "Do not ADD a remote archive without --checksum; download and unpack it in one RUN",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `ADD https://...` of an archive or package file (`.tar.gz`, `.zip`, `.deb`, `.jar`, ...) without " +
			"`--checksum`. In a stage that reaches the image, the message says that the packed archive stays in the " +
			"layer, and when a later `RUN` unpacks or installs it.",
		Why: "`ADD` unpacks local tar archives but not downloaded ones (unless `--unpack` is given): the compressed file " +
			"is committed to a layer as it is, and a RUN that unpacks it adds the contents in another layer, so the " +
			"image stores the software twice and deleting the archive afterwards frees nothing. Without `--checksum` " +
			"the build also takes whatever the server returns today.",
		Fix: "Download, verify and unpack in one RUN:\n\n```dockerfile\nRUN curl -fsSLo /tmp/app.tgz https://example.com/app-1.2.tgz \\\n" +
			" && echo \"<sha256>  /tmp/app.tgz\" | sha256sum -c - \\\n && tar -xzf /tmp/app.tgz -C /opt && rm /tmp/app.tgz\n```\n\n" +
			"or pin it with `ADD --checksum=sha256:<digest> https://... /opt/` (Dockerfile syntax 1.6 and later).",
	},
	Examples: []lint.Example{
		{Title: "Downloaded, then unpacked", Dockerfile: "FROM debian:12\nADD https://example.com/app-1.2.tgz /tmp/\nRUN tar -xzf /tmp/app-1.2.tgz -C /opt && rm /tmp/app-1.2.tgz\n", Want: []string{"2:5"}},
		{Title: "Pinned", Dockerfile: "FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app-1.2.jar /opt/app.jar\n"},
		{Title: "Not an archive", Dockerfile: "FROM debian:12\nADD https://example.com/config.yaml /etc/app/\n"},
	},
	Check: func(p *lint.Pass) {
		unpacked := map[*lint.Instruction]int{} // ADD -> line of the RUN that unpacks what it downloaded
		walkLayers(p.File, func(ins *lint.Instruction, _ *lint.Script, st *layerState, rf *runFiles) {
			for _, x := range rf.extracts {
				for _, pl := range st.placed {
					if pl.ins.Kind == "add" && pl.src == nil && pl.path == x.archive {
						if _, seen := unpacked[pl.ins]; !seen {
							unpacked[pl.ins] = ins.StartLine
						}
					}
				}
			}
		})
		visitInstructions(p.File, true, func(ins *lint.Instruction) {
			add, ok := ins.Command.(*instructions.AddCommand)
			if !ok || add.Checksum != "" {
				return
			}
			for i, src := range add.SourcePaths {
				if !isHTTPURL(src) || gitSource(src) {
					continue
				}
				if v, ok := expandDefault(ins, src); ok {
					src = v
				}
				name := urlBase(src)
				if !packageFile(name) && path.Ext(name) != ".jar" && path.Ext(name) != ".war" {
					continue
				}
				r := ins.ArgsRange()
				if words := sourceArgs(ins); len(words) == len(add.SourcePaths) {
					r = words[i].Range
				}
				msg := "ADD downloads `" + name + "` without --checksum, so the build takes whatever the server returns"
				unpack := add.Unpack != nil && *add.Unpack
				if kept := stageKept(p.File, ins); kept && !unpack && !strings.HasSuffix(name, ".jar") && !strings.HasSuffix(name, ".war") {
					msg += ", and keeps the archive in this layer packed (ADD unpacks only local archives)"
					if line, ok := unpacked[ins]; ok {
						msg += "; the RUN on line " + itoa(line) + " unpacks it into another layer, so the image stores it twice"
					}
				}
				p.Report(lint.Finding{
					At: ins, Range: r, Message: msg,
					Help: "download, verify and unpack it in one RUN (curl -fsSL URL | tar -x -C DIR), or pin it with ADD --checksum=sha256:...",
				})
			}
		}, "add")
	},
})

// sourceArgs are the arguments of COPY or ADD naming sources: all but the
// destination, heredoc markers left out.
func sourceArgs(ins *lint.Instruction) []lint.Arg {
	if len(ins.Args) < 2 {
		return nil
	}
	var out []lint.Arg
	for _, a := range ins.Args[:len(ins.Args)-1] {
		if !strings.HasPrefix(a.Value, "<<") {
			out = append(out, a)
		}
	}
	return out
}
