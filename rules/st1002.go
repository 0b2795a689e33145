package rules

import (
	"github.com/strata-dev/strata/lint"
)

// ST1002 reports chmod/chown in a RUN of what an earlier instruction put in
// the image.
var ST1002 = register(&lint.Rule{
	Code:     "ST1002",
	Name:     "permissions-changed-in-later-layer",
	Summary:  "Set ownership and modes when files are added (COPY --chown/--chmod), not in a later RUN",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `chmod`, `chown` or `chgrp` in a `RUN` on files that an earlier instruction of the stage (or of " +
			"a stage it is built FROM) placed in an earlier layer: `chown -R` or `chmod -R` of a `COPY` or `ADD` " +
			"destination or a directory above it, or a non-recursive change of a single file that was downloaded " +
			"(`ADD https://...`, `curl -o` in a RUN) or, when the build context is known, copied from it (alone or within a " +
			"directory, `COPY . /app`) and larger " +
			"than 1 MiB (`chmod +x` of a small script costs next to nothing). When the build context is known, the " +
			"message says how many bytes are stored twice. Stages that do not reach the image are not checked.",
		Why: "A layer records whole files: changing only the owner or the mode of a file copies all of its bytes " +
			"into the new layer, while the old copy stays in the layer below. `COPY . /app` followed by " +
			"`RUN chown -R app /app` ships the application twice.",
		Fix: "Set them as the files arrive: `COPY --chown=app:app --chmod=755 . /app` (`--chmod` needs BuildKit), keep " +
			"the executable bit in the build context (Git stores it), or chmod a download in the RUN that fetches it.",
	},
	Examples: []lint.Example{
		{Title: "chown -R after COPY", Dockerfile: "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\n", Want: []string{"4:5"}},
		{Title: "chmod of a downloaded binary", Dockerfile: "FROM alpine:3.20\nADD https://dl.k8s.io/release/v1.31.0/bin/linux/amd64/kubectl /usr/local/bin/\nRUN chmod +x /usr/local/bin/kubectl\n", Want: []string{"3:5"}},
		{Title: "chown -R of a directory named by a quoted ENV value", Dockerfile: "FROM node:22\nENV APP_HOME=\"/app\"\nWORKDIR $APP_HOME\nCOPY . .\nRUN chown -R node $APP_HOME\n", Want: []string{"5:5"}},
		{Title: "COPY --chown and --chmod", Dockerfile: "FROM node:22\nWORKDIR /app\nCOPY --chown=node:node . .\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/\n"},
		{Title: "chmod +x of a small copied script", Dockerfile: "FROM alpine:3.20\nCOPY entrypoint.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/entrypoint.sh\n"},
		{Title: "A directory the RUN creates", Dockerfile: "FROM alpine:3.20\nRUN mkdir -p /data && chown -R nobody /data\n"},
		{
			Title:      "The cost, when the context is known",
			Dockerfile: "FROM python:3.12\nCOPY app /srv/app\nRUN chown -R www-data /srv\n",
			Context:    map[string]string{"app/main.py": "print('hi')\n"},
			Want:       []string{"3:5"},
		},
		{
			Title:      "chmod -R of a small copied directory named without a trailing slash",
			Dockerfile: "FROM busybox:1.36\nCOPY assets /srv/assets\nRUN chmod -R g+w /srv/assets\n",
			Context:    map[string]string{"assets/a.css": "a{}\n", "assets/b.css": "b{}\n", "assets/c.js": "c()\n"},
			Want:       []string{"3:5"},
		},
	},
	Check: func(p *lint.Pass) {
		idx := contextIndex(p)
		walkLayers(p.File, func(ins *lint.Instruction, _ *lint.Script, st *layerState, rf *runFiles) {
			if !stageKept(p.File, ins) {
				return
			}
			for _, r := range rf.modes {
				f, ok := laterChange(idx, st, rf, r, true)
				if !ok {
					continue
				}
				name := r.cmd.Name.Value
				flag := "--chown"
				if name == "chmod" {
					flag = "--chmod"
				}
				help := "set it as the files arrive: " + f.place.ins.Keyword + " " + flag + "=... (or keep the mode in the build context)"
				if f.place.ins.Kind == "run" {
					help = name + " it in the RUN that downloads it"
				}
				p.Report(lint.Finding{
					At: ins, Range: r.cmd.Range(),
					Message: "`" + name + "` rewrites " + f.what + " after the " + f.place.how() + " put it in an earlier layer: " +
						f.cost("are", "is") + " stored twice",
					Help: help,
				})
				break
			}
		})
	},
})
