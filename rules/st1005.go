package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1005 reports COPY of the whole context before the dependency install.
var ST1005 = register(&lint.Rule{
	Code:     "ST1005",
	Name:     "copy-all-before-install",
	Summary:  "Copy the dependency manifests and install before copying the whole build context",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `COPY` or `ADD` of the whole build context (`COPY . .`, `COPY ./ /app/`) followed, in the same " +
			"stage, by a RUN that installs dependencies from a manifest: `npm ci`/`install`, `yarn install`, `pnpm " +
			"install`, `bun install`, `pip install -r`, `pipenv install`, `poetry install`, `uv sync`, `bundle install`, " +
			"`composer install`, `go mod download`, `cargo fetch`, `mvn dependency:go-offline`, `dotnet restore`, " +
			"`mix deps.get`.",
		Why: "BuildKit reuses a RUN's layer only while every earlier instruction is unchanged, and a COPY of the whole " +
			"context changes with any file. Installing after it downloads and builds every dependency again on each " +
			"edit of the source, which makes builds slow and cache exports large.",
		Fix: "Copy the manifests first, install, then copy the rest:\n\n```dockerfile\nCOPY package.json package-lock.json ./\n" +
			"RUN npm ci --omit=dev\nCOPY . .\n```",
	},
	Examples: []lint.Example{
		{Title: "Everything, then the install", Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n", Want: []string{"3:6"}},
		{Title: "The manifests first", Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\n"},
		{Title: "A build that needs the sources", Dockerfile: "FROM python:3.12-slim\nWORKDIR /src\nCOPY . .\nRUN pip install --no-cache-dir .\n"},
	},
	Check: func(p *lint.Pass) {
		whole := map[*lint.Instruction]lint.ContextSource{}
		for _, s := range contextSources(p.File) {
			if s.Path == "." && s.Ins.Kind != "run" && !s.Unresolved {
				if _, ok := whole[s.Ins]; !ok {
					whole[s.Ins] = s
				}
			}
		}
		if len(whole) == 0 {
			return
		}
		for _, st := range p.File.Stages {
			var copied *lint.ContextSource
			for _, ins := range st.Instructions {
				if s, ok := whole[ins]; ok && copied == nil {
					copied = &s
					continue
				}
				if copied == nil || ins.Kind != "run" {
					continue
				}
				sc := ins.Script()
				if sc == nil || sc.Err != nil {
					continue
				}
				for _, c := range sc.Commands {
					if manifest, ok := dependencyInstall(c); ok {
						p.Report(lint.Finding{
							At: copied.Ins, Range: copied.Range,
							Message: "`" + instructionText(copied.Ins) + "` comes before `" + commandSummary(c) +
								"` (line " + itoa(c.Range().Start.Line) + "): any change to any file reruns the dependency install",
							Help: "copy " + manifest + " first, install, then copy the rest",
						})
						copied = nil
						break
					}
				}
				if copied == nil {
					break
				}
			}
		}
	},
})

// dependencyInstall recognises a command that installs dependencies from
// a manifest, and names the files to copy first.
func dependencyInstall(c *lint.Command) (manifest string, ok bool) {
	ops := c.ArgsNoFlags()
	first := ""
	if len(ops) > 0 {
		first = ops[0].Value
	}
	switch {
	case c.Is("npm") && (first == "ci" || (first == "install" || first == "i") && len(ops) == 1):
		return "package.json and package-lock.json", true
	case c.Is("yarn") && (len(ops) == 0 && !versionQuery(c) || first == "install" && len(ops) == 1):
		return "package.json and yarn.lock", true
	case c.Is("pnpm") && (first == "install" || first == "i") && len(ops) == 1:
		return "package.json and pnpm-lock.yaml", true
	case c.Is("bun") && first == "install" && len(ops) == 1:
		return "package.json and bun.lock", true
	case isPipInstall(c) && c.HasArg("-r", "--requirement"):
		return "the requirements file", true
	case c.Is("pipenv") && first == "install" && len(ops) == 1:
		return "Pipfile and Pipfile.lock", true
	case c.Is("poetry") && first == "install":
		return "pyproject.toml and poetry.lock (with poetry install --no-root)", true
	case c.Is("uv") && first == "sync":
		return "pyproject.toml and uv.lock (with uv sync --no-install-project)", true
	case c.Is("bundle") && first == "install" && len(ops) == 1:
		return "Gemfile and Gemfile.lock", true
	case c.Is("composer") && first == "install":
		return "composer.json and composer.lock (with composer install --no-scripts --no-autoloader)", true
	case goModDownload(c):
		return "go.mod and go.sum", true
	case c.Is("cargo") && first == "fetch":
		return "Cargo.toml and Cargo.lock", true
	case (c.Is("mvn") || c.Is("./mvnw")) && (c.HasArg("dependency:go-offline") || c.HasArg("dependency:resolve")):
		return "pom.xml", true
	case c.Is("dotnet") && first == "restore":
		return "the project files (*.csproj, *.sln)", true
	case c.Is("mix") && first == "deps.get":
		return "mix.exs and mix.lock", true
	}
	return "", false
}

// instructionText is an instruction as one line: keyword, flags and
// arguments as written.
func instructionText(ins *lint.Instruction) string {
	parts := []string{ins.Keyword}
	for _, f := range ins.Flags {
		if f.Bare {
			parts = append(parts, "--"+f.Name)
		} else {
			parts = append(parts, "--"+f.Name+"="+f.Value)
		}
	}
	for _, a := range ins.Args {
		parts = append(parts, a.Value)
	}
	return strings.Join(parts, " ")
}
