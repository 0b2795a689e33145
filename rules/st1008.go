package rules

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/strata-dev/strata/lint"
)

// ST1008 reports build toolchains shipped by a single-stage build.
var ST1008 = register(&lint.Rule{
	Code:     "ST1008",
	Name:     "toolchain-in-final-image",
	Summary:  "Build in a separate stage: a single-stage build ships its compilers, headers and devDependencies",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "In a Dockerfile with a single stage, reports what only the build needs and the image keeps: compilers, " +
			"build tools and development headers installed with apt, apk, dnf, yum or zypper (`build-essential`, `gcc`, " +
			"`build-base`, `*-dev`, `*-devel`, `golang`, `maven`, a JDK) and not removed in the same RUN; a toolchain " +
			"base image (`golang`, `rust`, `maven`, `gradle`, a `*-jdk` Java image) used to compile the program; and " +
			"`npm ci`, `npm install`, `yarn install` or `pnpm install` that installs devDependencies (no `--omit=dev`, " +
			"`--production` or `--prod`, and `NODE_ENV` not `production` by `ENV` or an `ARG` default). An image that sets no `CMD` or `ENTRYPOINT`, " +
			"or starts a shell, is taken for a build or development environment, where the toolchain is the point, " +
			"and is not reported.",
		Why: "Compilers, headers and test frameworks are often larger than the program, and every one of them is code " +
			"an attacker can use and a scanner reports. A toolchain image such as `golang` is hundreds of megabytes; " +
			"the binary it builds often runs on `scratch` or a distroless image of a few megabytes.",
		Fix: "Build in one stage and copy only the result into a small runtime image:\n\n```dockerfile\n" +
			"FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\n" +
			"FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n```\n\n" +
			"Where a multi-stage build does not fit, remove build packages in the RUN that installed them " +
			"(`apk add --virtual .build-deps gcc musl-dev && ... && apk del .build-deps`), and install Node packages " +
			"with `npm ci --omit=dev`.",
		Peers: "complements ST1009 (caches a toolchain leaves), DL3059 and DL3009.",
	},
	Examples: []lint.Example{
		{Title: "The Go toolchain shipped", Dockerfile: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n", Want: []string{"1:6"}},
		{Title: "A compiler left in the image", Dockerfile: "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir psycopg2==2.9.10\nCMD [\"gunicorn\", \"app:app\"]\n", Want: []string{"2:66"}},
		{Title: "devDependencies shipped", Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n", Want: []string{"4:5"}},
		{Title: "Multi-stage", Dockerfile: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n"},
		{Title: "Build tools and multiarch headers", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends cmake libc6-dev-i386 && rm -rf /var/lib/apt/lists/*\nCMD [\"app\"]\n", Want: []string{"2:66"}},
		{Title: "Build packages removed in the same RUN", Dockerfile: "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir psycopg2==2.9.10 && apk del .build-deps\n"},
		{Title: "A build environment (no CMD)", Dockerfile: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake && rm -rf /var/lib/apt/lists/*\n"},
		{Title: "Production dependencies only", Dockerfile: "FROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n"},
		{Title: "NODE_ENV from an ARG default (in RUN's environment too)", Dockerfile: "FROM node:22\nARG NODE_ENV=production\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n"},
	},
	Check: func(p *lint.Pass) {
		if len(p.File.Stages) != 1 || environmentImage(p.File.Stages[0]) {
			return
		}
		stage := p.File.Stages[0]
		if family, build := singleStageToolchain(p.File); build != nil {
			p.Report(lint.Finding{
				At: stage.From, Range: imageArgRange(stage),
				Message: "`" + stage.Base + "` is " + toolchainNames[family] + ", and this single-stage build ships it with what `" +
					build.Name.Value + "` builds (line " + itoa(build.Range().Start.Line) + ")",
				Help: "build in a first stage (FROM " + stage.Base + " AS build) and copy the result into a small runtime image",
			})
		}
		nodeProd, nodeEnvSet := false, false
		for _, ins := range stage.Instructions {
			if env, ok := ins.Command.(*instructions.EnvCommand); ok {
				for _, kv := range env.Env {
					if kv.Key == "NODE_ENV" {
						nodeProd, nodeEnvSet = truthyProduction(kv.Value), true
					}
				}
			}
			// ARG values are in RUN's environment too (an ENV of the same
			// name takes precedence)
			if arg, ok := ins.Command.(*instructions.ArgCommand); ok && !nodeEnvSet {
				for _, kv := range arg.Args {
					if kv.Key == "NODE_ENV" && kv.Value != nil {
						nodeProd = truthyProduction(*kv.Value)
					}
				}
			}
			s := ins.Script()
			if s == nil || s.Err != nil {
				continue
			}
			env := &shellEnv{ins: ins}
			for i, c := range s.Commands {
				if in, ok := packageInstall(c, s, env); ok {
					if reportToolchainPackages(p, ins, s, i, in) {
						break
					}
				}
				if devDependencies(c, s, i, nodeProd) {
					p.Report(lint.Finding{
						At: ins, Range: c.Range(),
						Message: "`" + commandSummary(c) + "` installs devDependencies too, and this single-stage build ships them",
						Help:    "install production dependencies only (npm ci --omit=dev, yarn install --production, pnpm install --prod), or build in a separate stage",
					})
					break
				}
			}
		}
	},
})

var toolchainNames = map[string]string{
	"go":     "the whole Go toolchain (hundreds of MB)",
	"rust":   "the whole Rust toolchain (hundreds of MB)",
	"maven":  "a JDK with Maven (hundreds of MB)",
	"gradle": "a JDK with Gradle (hundreds of MB)",
	"jdk":    "a full JDK (hundreds of MB), where a JRE runs the program",
}

func reportToolchainPackages(p *lint.Pass, ins *lint.Instruction, s *lint.Script, i int, in installed) bool {
	var names []string
	var first lint.Word
	for _, pk := range in.packages {
		if toolchainPackage(in.manager, pk.name) {
			if len(names) == 0 {
				first = pk.word
			}
			names = append(names, "`"+pk.name+"`")
		}
	}
	if len(names) == 0 || packagesRemoved(s, i, in.manager) {
		return false
	}
	if len(names) > 4 {
		names = append(names[:4], "and "+itoa(len(names)-4)+" more")
	}
	r := first.Range()
	if r.IsZero() {
		r = in.cmd.Range()
	}
	p.Report(lint.Finding{
		At: ins, Range: r,
		Message: strings.Join(names, ", ") + " " + plural(len(names), "is", "are") + " only needed to build, but this single-stage build ships " +
			plural(len(names), "it", "them") + " in the image",
		Help: "build in a first stage and copy the result into a runtime image, or remove " + plural(len(names), "it", "them") +
			" in the same RUN (" + removalHint[in.manager] + ")",
	})
	return true
}

var removalHint = map[string]string{
	"apt": "apt-get purge -y --auto-remove <packages>",
	"apk": "apk add --virtual .build-deps ... && apk del .build-deps",
	"rpm": "dnf remove -y <packages>",
}

// devDependencies reports whether a command installs a Node project's
// devDependencies as well.
func devDependencies(c *lint.Command, s *lint.Script, i int, nodeProd bool) bool {
	var install bool
	switch {
	case c.Is("npm"):
		install = subcommand("npm", "ci")(c) || subcommand("npm", "install", "i")(c) && len(c.ArgsNoFlags()) == 1
	case c.Is("yarn"):
		ops := c.ArgsNoFlags()
		install = (len(ops) == 0 || len(ops) == 1 && ops[0].Value == "install") && !versionQuery(c)
	case c.Is("pnpm"):
		install = subcommand("pnpm", "install", "i")(c) && len(c.ArgsNoFlags()) == 1
	}
	if !install || nodeProd || c.HasFlag("production", "prod", "P", "g", "global") || c.HasArg("--omit=dev", "--only=prod", "--only=production") {
		return false
	}
	for k, a := range c.Args {
		if a.Value == "--omit" && k+1 < len(c.Args) && c.Args[k+1].Value == "dev" {
			return false
		}
	}
	for _, e := range c.Env {
		if e.Name == "NODE_ENV" && truthyProduction(e.Value.Value) {
			return false
		}
	}
	for _, a := range s.Assigns {
		if a.Name == "NODE_ENV" && truthyProduction(a.Value.Value) {
			return false
		}
	}
	return !laterCommand(s, i, func(x *lint.Command) bool {
		return x.Is("npm", "pnpm") && x.HasArg("prune") || x.Is("export") && x.HasArg("NODE_ENV=production")
	})
}

func truthyProduction(v string) bool { return strings.Trim(v, `"'`) == "production" }

// commandSummary is a command with its subcommands, for messages: "npm
// ci", "go mod download", "uv pip install".
func commandSummary(c *lint.Command) string {
	out := c.Name.Value
	for i, a := range c.Args {
		if i == 2 || a.IsFlag() || !a.Literal || strings.ContainsAny(a.Value, "/.=@:") {
			break
		}
		out += " " + a.Value
	}
	return out
}

// environmentImage reports whether a stage looks like a build or
// development environment rather than an application: it sets no CMD or
// ENTRYPOINT (a base or CI image), or starts a shell.
func environmentImage(s *lint.Stage) bool {
	var last *lint.Instruction
	for _, ins := range s.Instructions {
		if ins.Kind == "cmd" || ins.Kind == "entrypoint" {
			last = ins
		}
	}
	if last == nil || len(last.Args) == 0 {
		return true
	}
	first := strings.Trim(last.Args[0].Value, `"'[],`)
	switch first[strings.LastIndexByte(first, '/')+1:] {
	case "bash", "sh", "zsh", "ash", "fish":
		return len(last.Args) == 1
	}
	return false
}
