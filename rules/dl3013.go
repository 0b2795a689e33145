package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3013 reports pip install of packages without a version.
var DL3013 = register(&lint.Rule{
	Code:     "DL3013",
	Name:     "pip-unpinned",
	Summary:  "Pin versions in `pip install`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports `pip install` (`pip`, `pip3`, `pipx`, `python -m pip`; in a RUN or `ONBUILD RUN`) of a " +
			"package without a version specifier. Pinned are: a specifier (`==`, `~=`, `>=`, `<`, `!=`, ...), a " +
			"VCS URL with a revision (`git+https://...@v1.2`), a wheel or sdist file, and a path or URL. An install " +
			"from requirements (`-r`, `--requirement`), of the current project (`.`) or under constraints (`-c`) " +
			"is not checked, and the values of options such as `--index-url` or `--target` are not packages. " +
			"pipenv is not pip. One finding per RUN, at the first unpinned package.",
		Why: "Without a version, each build installs the newest release of the package: builds of the same commit " +
			"differ, and a new major release can break the image without any change to the Dockerfile.",
		Fix: "Pin what you tested: `pip install --no-cache-dir requests==2.32.3`, or keep the versions in a " +
			"requirements or constraints file (`pip install -r requirements.txt`, ideally with hashes).",
	},
	Examples: []lint.Example{
		{Title: "No version", Dockerfile: "FROM python:3.12\nRUN pip install --no-cache-dir requests\n", Want: []string{"2:32"}},
		{Title: "Pinned, requirements and the local project", Dockerfile: "FROM python:3.12\n" +
			"RUN pip install --no-cache-dir requests==2.32.3 'urllib3<3'\nRUN pip install --no-cache-dir -r requirements.txt\nRUN pip install --no-cache-dir .\n"},
	},
	Check: func(p *lint.Pass) {
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			for _, c := range s.Commands {
				if !hadolintPipInstall(c) || c.HasFlag("c", "constraint") || c.HasArg("-r", "--requirement", ".") {
					continue
				}
				bad := literalFirst(unpinned(afterSubcommand(operands(c, pipValueFlags...), "install"), pipPinned))
				if len(bad) == 0 {
					continue
				}
				first := bad[0].Value
				help := "pin the version you tested, e.g. " + first + "==<version>, or install from a requirements file"
				if strings.Contains(first, "$") {
					help = "pin versions in the variable's value (name==version), or install from a requirements file"
				}
				p.Report(lint.Finding{At: ins, Range: bad[0].Range(), Message: unpinnedMessage(c.Name.Value, bad), Help: help})
				return
			}
		})
	},
})

// hadolintPipInstall is hadolint's isPipInstall: a command named pip...
// (not pipenv) with an install argument, or python... -m pip install.
func hadolintPipInstall(c *lint.Command) bool {
	name := c.Name.Value
	if strings.HasPrefix(name, "pip") && !strings.HasPrefix(name, "pipenv") {
		return c.HasArg("install")
	}
	if strings.HasPrefix(name, "python") {
		for i := 0; i+2 < len(c.Args); i++ {
			if c.Args[i].Value == "-m" && c.Args[i+1].Value == "pip" && c.Args[i+2].Value == "install" {
				return true
			}
		}
	}
	return false
}

// pipValueFlags are the pip (and pipx) options whose value is the next word.
var pipValueFlags = []string{
	"abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url",
	"implementation", "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy", "python",
	"python-version", "root", "root-user-action", "src", "t", "target", "trusted-host", "upgrade-strategy",
}

var pipVersionOperators = []string{"==", ">=", "<=", ">", "<", "!=", "~=", "==="}

var pipVCSSchemes = []string{
	"git+file", "git+https", "git+ssh", "git+http", "git+git", "git",
	"hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
	"svn", "svn+svn", "svn+http", "svn+https", "svn+ssh",
	"bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp",
}

// pipPinned is hadolint's versionFixed for pip.
func pipPinned(pkg string) bool {
	for _, op := range pipVersionOperators {
		if strings.Contains(pkg, op) {
			return true
		}
	}
	vcs := false
	for _, s := range pipVCSSchemes {
		if strings.HasPrefix(pkg, s) {
			vcs = true
			break
		}
	}
	switch {
	case strings.HasSuffix(pkg, ".whl"), strings.HasSuffix(pkg, ".tar.gz"):
		return true
	case vcs:
		return strings.Contains(pkg, "@")
	}
	return strings.Contains(pkg, "/")
}
