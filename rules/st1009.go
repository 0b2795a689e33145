package rules

import (
	"path"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1009 reports package manager caches left in a layer, for the managers
// hadolint has no rule for.
var ST1009 = register(&lint.Rule{
	Code:     "ST1009",
	Name:     "package-cache-left",
	Summary:  "Do not leave npm, pnpm, Go, gem, Composer, conda, Cargo, Maven, Gradle, Poetry or uv caches in the image",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN, in a stage that reaches the image, where a package manager fills its download or build " +
			"cache and nothing empties it in the same RUN: `npm install`/`ci` (~/.npm), `pnpm install` (its store), " +
			"`go build`/`install`/`mod download` (~/.cache/go-build, /go/pkg/mod), `gem install`/`bundle install` " +
			"($GEM_HOME/cache), `composer install`, `conda`/`mamba install` (/opt/conda/pkgs), `cargo build`/`install` " +
			"($CARGO_HOME/registry), `mvn` (~/.m2), `gradle` (~/.gradle), `poetry install` and `uv sync`/`uv pip " +
			"install` (~/.cache). Emptying means the manager's own clean command (`npm cache clean --force`, `go clean " +
			"-cache -modcache`, `conda clean -a`, `composer clear-cache`, `uv cache clean`, ...), an `rm` of the cache " +
			"directory (or of the directory a variable such as `npm_config_cache`, `GOCACHE` or `UV_CACHE_DIR` moved it to), " +
			"a `--no-cache` flag where the manager has one, or a cache or tmpfs mount over the cache. " +
			"In a single-stage build FROM a toolchain image, the Go, Cargo, Maven and Gradle caches are left to ST1008.",
		Why: "These caches are only useful to the next build, and a layer is never the next build: they stay in the " +
			"image, often as large as what was installed (npm keeps every tarball it unpacked into node_modules, conda " +
			"keeps packages both packed and unpacked, Go's build cache holds every compiled package).",
		Fix: "Keep the cache out of the layer and reuse it across builds with a cache mount:\n\n```dockerfile\n" +
			"RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n```\n\nor empty it in the same RUN " +
			"(`npm ci --omit=dev && npm cache clean --force`), or build in a stage that does not reach the image.",
		Peers: "complements DL3009 (apt), DL3019 (apk), DL3032 (yum), DL3036 (zypper), DL3040 (dnf), DL3042 (pip), " +
			"DL3060 (yarn) and ST1008.",
	},
	Examples: []lint.Example{
		{Title: "npm's cache kept", Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n", Want: []string{"4:5"}},
		{Title: "conda's packages kept", Dockerfile: "FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy=2.1\n", Want: []string{"2:5"}},
		{Title: "A cache mount", Dockerfile: "FROM node:22-slim\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n"},
		{Title: "Cleaned in the same RUN", Dockerfile: "FROM continuumio/miniconda3:24.7.1-0\nRUN conda install -y numpy=2.1 && conda clean -afy\n"},
		{Title: "A moved cache removed in the same RUN", Dockerfile: "FROM node:22-slim\nENV npm_config_cache=/tmp/npm\nRUN npm ci --omit=dev && rm -rf /tmp/npm\n"},
		{Title: "In a build stage", Dockerfile: "FROM node:22 AS build\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /dist /usr/share/nginx/html\n"},
	},
	Check: func(p *lint.Pass) {
		family, _ := singleStageToolchain(p.File)
		eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
			if !stageKept(p.File, ins) {
				return
			}
			var env map[string]string
			for _, key := range strataCaches {
				pc := packageCaches[key]
				if pc.Toolchain != "" && pc.Toolchain == family {
					continue
				}
				for i, c := range s.Commands {
					if !pc.Fills(c) || pc.Skips != nil && pc.Skips(c) || cacheHandled(ins, s, i, pc) {
						continue
					}
					if len(pc.OffEnv) > 0 {
						if env == nil {
							env = stageEnv(ins)
						}
						if envOff(pc.OffEnv, env, c, s) {
							continue
						}
					}
					holds, help := pc.Holds, cacheHelpAt(key, ins)
					if moved := movedCaches(ins, s, i, pc); len(moved) > 0 {
						holds, help = holdsMoved(pc.Holds, moved), cacheHelpMoved(key, ins, moved)
					}
					p.Report(lint.Finding{
						At: ins, Range: c.Range(),
						Message: "`" + commandSummary(c) + "` leaves " + holds + " in this layer",
						Help:    help,
					})
					break
				}
			}
		})
	},
})

// cacheHandled reports whether the cache a command fills is kept out of
// the layer: a cache or tmpfs mount over it, or a later command of the RUN
// that empties it or removes its directory.
func cacheHandled(ins *lint.Instruction, s *lint.Script, i int, pc packageCache) bool {
	if ins.HasCacheMount(pc.Marks...) || ins.HasCacheMount(pc.Dirs...) {
		return true
	}
	moved := movedCaches(ins, s, i, pc)
	for _, m := range moved {
		if ins.HasCacheMount(m.Value, m.Dir) {
			return true
		}
	}
	return laterCommand(s, i, func(c *lint.Command) bool {
		if pc.Empties != nil && pc.Empties(c) {
			return true
		}
		if !c.Is("rm") {
			return false
		}
		for _, a := range c.Args {
			for _, m := range moved {
				t := strings.TrimSuffix(strings.TrimSuffix(a.Value, "/*"), "/")
				if t != "" && covers(t, m.Dir) {
					return true // rm -rf /tmp/npm with npm_config_cache=/tmp/npm
				}
			}
			v := strings.ToLower(a.Value)
			for _, m := range pc.Marks {
				if strings.Contains(v, m) {
					return true
				}
			}
		}
		return false
	})
}

// movedCache is a cache a DirEnv variable moved: the variable, its value,
// and the directory the cache is then in (a subdirectory for the
// variables that name a tool's home, such as CARGO_HOME).
type movedCache struct {
	Var, Value, Dir string
}

// cacheSubdir is where the cache lies under the directory a "home"
// variable names.
var cacheSubdir = map[string]string{
	"CARGO_HOME": "registry", "COMPOSER_HOME": "cache", "GRADLE_USER_HOME": "caches",
}

// movedCaches are the caches the DirEnv variables of pc move for the
// command at i: set by ENV or ARG, in the RUN, or as the command's own
// prefix.
func movedCaches(ins *lint.Instruction, s *lint.Script, i int, pc packageCache) []movedCache {
	if len(pc.DirEnv) == 0 {
		return nil
	}
	var env map[string]string
	var out []movedCache
	add := func(name, v string) {
		if !strings.HasPrefix(v, "/") {
			return
		}
		if first, _, ok := strings.Cut(v, ","); ok && name == "CONDA_PKGS_DIRS" {
			v = first // a list: conda fills the first writable one
		}
		v = path.Clean(v)
		m := movedCache{Var: name, Value: v, Dir: v}
		if sub := cacheSubdir[name]; sub != "" {
			m.Dir = path.Join(v, sub)
		}
		out = append(out, m)
	}
	for _, n := range pc.DirEnv {
		found := false
		for _, e := range s.Commands[i].Env {
			if e.Name == n {
				add(n, e.Value.Value)
				found = true
			}
		}
		for _, a := range s.Assigns {
			if a.Name == n {
				add(n, a.Value.Value)
				found = true
			}
		}
		if found {
			continue
		}
		if env == nil {
			env = stageEnv(ins)
		}
		if v, ok := env[n]; ok {
			add(n, v)
		}
	}
	return out
}

// splitCaches are the variables of a manager with several caches that
// each move one of them (Go's build and module caches): the default
// directory the variable replaces and how Holds shows it.
var splitCaches = map[string]struct{ dir, shown string }{
	"GOCACHE":    {"/root/.cache/go-build", "~/.cache/go-build"},
	"GOMODCACHE": {"/go/pkg/mod", "/go/pkg/mod"},
}

// holdsMoved is pc.Holds naming where the variables moved the caches
// instead of their default places: the parenthesis of the cache a split
// variable moves, or the one that ends Holds.
func holdsMoved(holds string, moved []movedCache) string {
	var where []string
	for _, m := range moved {
		in := "in " + m.Dir + ", where " + m.Var + " puts it"
		if sc, ok := splitCaches[m.Var]; ok && strings.Contains(holds, "("+sc.shown+")") {
			holds = strings.Replace(holds, "("+sc.shown+")", "("+in+")", 1)
			continue
		}
		where = append(where, in)
	}
	if len(where) == 0 {
		return holds
	}
	if i := strings.LastIndex(holds, " ("); i >= 0 && strings.HasSuffix(holds, ")") {
		holds = holds[:i]
	}
	return holds + " (" + strings.Join(where, "; ") + ")"
}

// cacheHelpMoved is the help for a cache the variables moved: the mounts
// go over where the caches now are, and over the default places of those
// a split variable left where they were (under the RUN's home).
func cacheHelpMoved(key string, ins *lint.Instruction, moved []movedCache) string {
	pc := packageCaches[key]
	var targets []string
	keepDefaults, replaced := true, map[string]bool{}
	for _, m := range moved {
		if sc, ok := splitCaches[m.Var]; ok {
			replaced[sc.dir] = true
		} else {
			keepDefaults = false
		}
	}
	if keepDefaults {
		home := runHome(ins)
		for _, d := range pc.Dirs {
			if replaced[d] {
				continue
			}
			if home != "" && home != "/root" && strings.HasPrefix(d, "/root/") {
				d = strings.TrimSuffix(home, "/") + strings.TrimPrefix(d, "/root")
			}
			targets = append(targets, d)
		}
	}
	for _, m := range moved {
		targets = append(targets, m.Dir)
	}
	var b strings.Builder
	for i, t := range targets {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("--mount=type=cache,target=" + t)
	}
	return "clean up in the same RUN (" + pc.Clean + "), or keep the cache out of the layer with RUN " + b.String()
}

// envOff reports whether one of names is set to a true value for the
// command: by ENV or ARG, in the RUN, or as the command's own prefix.
func envOff(names []string, env map[string]string, c *lint.Command, s *lint.Script) bool {
	for _, n := range names {
		if truthy(env[n]) {
			return true
		}
		for _, e := range c.Env {
			if e.Name == n && truthy(e.Value.Value) {
				return true
			}
		}
		for _, a := range s.Assigns {
			if a.Name == n && truthy(a.Value.Value) {
				return true
			}
		}
		if strings.Contains(s.Text, "export "+n+"=1") || strings.Contains(s.Text, "export "+n+"=true") {
			return true
		}
	}
	return false
}
