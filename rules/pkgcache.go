package rules

import "strings"

// packageCache describes where a package manager keeps its cache and how
// to keep that cache out of the image. One table drives the cache rules'
// detection, their messages and the --mount=type=cache suggestion.
type packageCache struct {
	Manager string
	// Dirs are the cache directories; a cache or tmpfs mount whose target
	// contains one of them keeps the cache out of the layer.
	Dirs []string
	// Clean is the command that empties the cache in the same RUN.
	Clean string
}

var packageCaches = map[string]packageCache{
	"apt":      {Manager: "apt-get", Dirs: []string{"/var/cache/apt", "/var/lib/apt"}, Clean: "rm -rf /var/lib/apt/lists/*"},
	"apk":      {Manager: "apk", Dirs: []string{"/var/cache/apk"}, Clean: "apk add --no-cache"},
	"yum":      {Manager: "yum", Dirs: []string{"/var/cache/yum"}, Clean: "yum clean all"},
	"dnf":      {Manager: "dnf", Dirs: []string{"/var/cache/libdnf5", "/var/cache/dnf"}, Clean: "dnf clean all"},
	"zypper":   {Manager: "zypper", Dirs: []string{"/var/cache/zypp"}, Clean: "zypper clean --all"},
	"pip":      {Manager: "pip", Dirs: []string{"/root/.cache/pip"}, Clean: "pip install --no-cache-dir"},
	"yarn":     {Manager: "yarn", Dirs: []string{"/usr/local/share/.cache/yarn"}, Clean: "yarn cache clean"},
	"npm":      {Manager: "npm", Dirs: []string{"/root/.npm"}, Clean: "npm cache clean --force"},
	"go":       {Manager: "go", Dirs: []string{"/root/.cache/go-build", "/go/pkg/mod"}, Clean: "go clean -cache -modcache"},
	"gem":      {Manager: "gem", Dirs: []string{"/usr/local/bundle/cache", "/root/.gem"}, Clean: "gem install --no-document; rm -rf /root/.gem"},
	"composer": {Manager: "composer", Dirs: []string{"/root/.composer/cache", "/tmp/cache"}, Clean: "composer clear-cache"},
	"conda":    {Manager: "conda", Dirs: []string{"/opt/conda/pkgs"}, Clean: "conda clean --all --yes"},
	"cargo":    {Manager: "cargo", Dirs: []string{"/usr/local/cargo/registry", "/root/.cargo/registry"}, Clean: "rm -rf /usr/local/cargo/registry"},
}

// mountHint is the RUN flag that keeps a manager's cache out of the layer
// while still reusing it between builds.
func mountHint(key string) string {
	c := packageCaches[key]
	var b strings.Builder
	for i, d := range c.Dirs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("--mount=type=cache,target=" + d)
		if key == "apt" {
			b.WriteString(",sharing=locked")
		}
	}
	return b.String()
}

// cacheHelp is the help line shared by the cache rules.
func cacheHelp(key string) string {
	c := packageCaches[key]
	return "clean up in the same RUN (" + c.Clean + "), or keep the cache out of the layer with RUN " + mountHint(key)
}
