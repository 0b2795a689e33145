package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3016 reports npm install of packages without a version.
var DL3016 = register(&lint.Rule{
	Code:     "DL3016",
	Name:     "npm-unpinned",
	Summary:  "Pin versions in `npm install`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `npm install <package>` (in a RUN or `ONBUILD RUN`) without a version, tag or commit: " +
			"`express` or `@scope/pkg` instead of `express@4.21.1`, or a git URL without `#ref`. Tarballs and " +
			"folders (`./pkg`, `/pkg`, `~/pkg`) are fine, and so is a bare `npm install` (which installs what " +
			"`package.json` and the lock file say). The values of `--registry` and `--loglevel` are not packages. " +
			"One finding per RUN, at the first unpinned package.",
		Why: "Without a version npm installs the latest release at build time: builds of the same commit differ " +
			"and a new major release can break the image without any change to the Dockerfile.",
		Fix: "Pin what you tested: `npm install -g express@4.21.1`. For an application, `COPY package.json " +
			"package-lock.json ./` and `RUN npm ci` install exactly the locked versions.",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM node:22\nRUN npm install -g express\n", Want: []string{"2:20"}},
		{Title: "A version, a git commit and the lock file", Dockerfile: "FROM node:22\n" +
			"RUN npm install -g express@4.21.1 git+https://github.com/npm/cli.git#v10.9.0\nRUN npm install\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !c.Is("npm") || !c.HasArg("install") {
					continue
				}
				ops := operands(c, "loglevel", "registry")
				if len(ops) == 0 || ops[0].Value != "install" {
					continue // npm run install, npm --prefix x install ...
				}
				bad := literalFirst(unpinned(afterSubcommand(ops, "install"), npmPinned))
				if len(bad) == 0 {
					continue
				}
				help := "pin the version you tested, e.g. npm install " + bad[0].Value + "@<version>, or install from package-lock.json with npm ci"
				if npmGit(bad[0].Value) {
					help = "pin a commit or tag: " + bad[0].Value + "#<ref>"
				}
				p.Report(lint.Finding{At: ins, Range: bad[0].Range(), Message: unpinnedMessage("npm", bad), Help: help})
				return
			}
		})
	},
})

func npmGit(pkg string) bool {
	for _, prefix := range []string{"git://", "git+ssh://", "git+http://", "git+https://"} {
		if strings.HasPrefix(pkg, prefix) {
			return true
		}
	}
	return false
}

// npmPinned is hadolint's versionFixed for npm.
func npmPinned(pkg string) bool {
	if npmGit(pkg) {
		return strings.Contains(pkg, "#")
	}
	for _, suffix := range []string{".tar", ".tar.gz", ".tgz"} {
		if strings.HasSuffix(pkg, suffix) {
			return true
		}
	}
	for _, prefix := range []string{"/", "./", "../", "~/"} {
		if strings.HasPrefix(pkg, prefix) {
			return true
		}
	}
	if strings.HasPrefix(pkg, "@") {
		// hadolint drops the scope as dropWhile (> '/'): up to the first
		// character at or below '/' (the slash, or a '-' or '.' before it).
		i := 0
		for i < len(pkg) && pkg[i] > '/' {
			i++
		}
		pkg = pkg[i:]
	}
	return strings.Contains(pkg, "@")
}
