package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3012 reports WORKDIR set to a system directory.
var ST3012 = register(&lint.Rule{
	Code:     "ST3012",
	Name:     "workdir-system-directory",
	Summary:  "Do not use a system directory as WORKDIR",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `WORKDIR` that is a system directory: `/bin`, `/sbin`, `/usr`, `/usr/bin`, `/usr/sbin`, " +
			"`/lib`, `/lib32`, `/lib64`, `/libx32`, `/usr/lib`, `/usr/lib64`, `/usr/libexec`, `/etc`, or anything " +
			"under `/proc`, `/sys`, `/dev` and `/boot`, when the container is left there (no later `WORKDIR` in " +
			"the stage) or when a `COPY`/`ADD` of the whole build context (`COPY . .`, `COPY *.sh ./`) follows " +
			"with a relative destination. `WORKDIR /` is reported only in the second case: a `WORKDIR /` that " +
			"resets the directory, or copies single files from another stage, is fine. Only stages that end up " +
			"in the image are checked (and `ONBUILD WORKDIR`). Variables are resolved with their `ARG` and `ENV` " +
			"values. Subdirectories such as `/etc/nginx` and `/usr/local/bin` are not reported.",
		Why: "Everything that uses the working directory then writes among system files: `COPY . .` spreads the " +
			"build context over `/usr/bin` or `/etc` (and can replace binaries or configuration), and files the " +
			"application creates at run time mix with the operating system's, where they are hard to tell apart " +
			"and may shadow real commands. `/proc`, `/sys` and `/dev` are kernel file systems at run time: what is " +
			"written there at build time is hidden or breaks the container.",
		Fix: "Give the application its own directory: `WORKDIR /app` (or `/srv/app`, `/opt/app`), and copy files " +
			"to system directories only with absolute destinations, one by one.",
		Peers: "Trivy DS-0030 (AVD-DS-0030; `/proc`, `/boot`, `/dev`, `/initrd`, `/lost+found`). Checkov and dockle: " +
			"none. Complements hadolint's DL3000 and BuildKit's WorkdirRelativePath, which ask for absolute " +
			"paths.",
	},
	Examples: []lint.Example{
		{Title: "A system directory", Dockerfile: "FROM debian:12\nWORKDIR /usr/bin\nCOPY tool .\nCMD [\"tool\"]\n", Want: []string{"2:9"}},
		{Title: "The root, then COPY . .", Dockerfile: "FROM node:22\nWORKDIR /\nCOPY . .\nRUN npm ci\n", Want: []string{"2:9"}},
		{Title: "Relative to an earlier WORKDIR", Dockerfile: "FROM debian:12\nWORKDIR /usr\nWORKDIR bin\nCOPY tool .\n", Want: []string{"3:9"}},
		{Title: "An application directory", Dockerfile: "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"},
		{Title: "A single file into /etc, then an application directory", Dockerfile: "FROM debian:12\nWORKDIR /etc\n" +
			"COPY odbcinst.ini .\nWORKDIR /app\nCOPY . .\n"},
		{Title: "Resetting to the root", Dockerfile: "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\n" +
			"FROM debian:12-slim\nWORKDIR /\nCOPY --from=build /src/app /usr/local/bin/app\n"},
	},
	Check: func(p *lint.Pass) {
		secEach(p.File, func(ins *lint.Instruction) {
			if ins.Kind != "workdir" || len(ins.Args) == 0 || !stageKept(p.File, ins) {
				return
			}
			dir := secUnquote(ins.Args[0].Value)
			shown := ""
			if strings.Contains(dir, "$") {
				v, ok := secExpand(dir, secVars(ins))
				if !ok {
					return
				}
				dir = v
			}
			if !strings.HasPrefix(dir, "/") {
				// Relative: known only after an absolute WORKDIR of the
				// stage (the base image's is unknown); Windows: other rules.
				prev, known := previousWorkdir(ins)
				if !known || !plainRelativeDir(dir) {
					return
				}
				dir = path.Join(prev, dir)
				shown = secUnquote(ins.Args[0].Value) + " (" + dir + ")"
			}
			dir = path.Clean(dir)
			if dir != "/" && !st3012System(dir) {
				return
			}
			if shown == "" {
				shown = dir
			}
			copyAll, last := st3012After(ins)
			var msg string
			switch {
			case copyAll != nil:
				msg = "WORKDIR " + shown + " makes the " + strings.ToUpper(copyAll.Keyword) + " on line " + itoa(copyAll.StartLine) + " spread the build context over "
				if dir == "/" {
					msg += "the root of the file system"
				} else {
					msg += "a system directory"
				}
			case last && dir != "/":
				msg = "WORKDIR " + shown + " leaves the container in a system directory: files the application writes land among system files"
			default:
				return
			}
			p.Report(lint.Finding{At: ins, Range: ins.Args[0].Range, Message: msg,
				Help: "use an application directory such as WORKDIR /app"})
		})
	},
})

var st3012Dirs = map[string]bool{
	"/bin": true, "/sbin": true, "/usr": true, "/usr/bin": true, "/usr/sbin": true, "/lib": true, "/lib32": true,
	"/lib64": true, "/libx32": true, "/usr/lib": true, "/usr/lib64": true, "/usr/libexec": true, "/etc": true,
}

func st3012System(dir string) bool {
	if st3012Dirs[dir] {
		return true
	}
	for _, root := range []string{"/proc", "/sys", "/dev", "/boot"} {
		if dir == root || strings.HasPrefix(dir, root+"/") {
			return true
		}
	}
	return false
}

// st3012After looks at the instructions after a WORKDIR in its stage:
// copyAll is a COPY or ADD of the whole build context (`.`, `./` or a glob)
// to a relative destination before the next WORKDIR; last is true when no
// later WORKDIR changes the directory again.
func st3012After(ins *lint.Instruction) (copyAll *lint.Instruction, last bool) {
	if ins.IsOnBuild() {
		return nil, true // the downstream image's directory from then on
	}
	if ins.Stage == nil {
		return nil, false
	}
	after := false
	for _, x := range ins.Stage.Instructions {
		if x == ins || (ins.Outer != nil && x == ins.Outer) {
			after = true
			continue
		}
		if !after {
			continue
		}
		if x.Kind == "workdir" {
			return copyAll, false
		}
		if x.Kind != "copy" && x.Kind != "add" || len(x.Args) < 2 || copyAll != nil {
			continue
		}
		if _, from := x.Flag("from"); from {
			continue
		}
		dest := secUnquote(x.Args[len(x.Args)-1].Value)
		if dest == "" || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "$") {
			continue
		}
		for _, a := range x.Args[:len(x.Args)-1] {
			if v := secUnquote(a.Value); v == "." || v == "./" || strings.Contains(v, "*") {
				copyAll = x
				break
			}
		}
	}
	return copyAll, true
}

// plainRelativeDir reports whether a relative WORKDIR is a plain path, not
// a Windows one (C:\\app).
func plainRelativeDir(dir string) bool {
	return !strings.Contains(dir, ":") && !strings.Contains(dir, "\\")
}
