package analyze

import (
	"path"
	"strings"
)

// cacheRule is a package manager's cache or download list.
type cacheRule struct {
	tool     string
	patterns []string
	skip     []string // base names that are not cache (locks)
}

var cacheRules = []cacheRule{
	{"apt", []string{"/var/lib/apt/lists/**", "/var/cache/apt/**"}, []string{"lock"}},
	{"apk", []string{"/var/cache/apk/**", "/etc/apk/cache/**"}, nil},
	{"yum/dnf", []string{"/var/cache/yum/**", "/var/cache/dnf/**", "/var/lib/dnf/repos/**"}, nil},
	{"pip", []string{"/root/.cache/pip/**", "/home/*/.cache/pip/**"}, nil},
	{"npm", []string{"/root/.npm/_cacache/**", "/home/*/.npm/_cacache/**", "/usr/local/share/.cache/yarn/**"}, nil},
	{"go", []string{"/root/.cache/go-build/**", "/home/*/.cache/go-build/**", "/go/pkg/mod/cache/**", "/root/go/pkg/mod/cache/**"}, nil},
	{"gem", []string{"/root/.gem/**", "/usr/local/bundle/cache/**", "/var/lib/gems/*/cache/**", "/usr/local/lib/ruby/gems/*/cache/**"}, nil},
}

// secretSuffixes are credential files by location.
var secretSuffixes = map[string]string{
	"/.aws/credentials": "AWS credentials",
	"/.config/gcloud/application_default_credentials.json": "Google Cloud credentials",
	"/.config/gcloud/credentials.db":                       "Google Cloud credentials",
	"/.azure/accessTokens.json":                            "Azure access tokens",
	"/.azure/msal_token_cache.json":                        "Azure token cache",
	"/.docker/config.json":                                 "Docker registry credentials",
	"/.kube/config":                                        "Kubernetes credentials",
	"/.netrc":                                              "netrc credentials",
	"/.git-credentials":                                    "git credentials",
	"/.pypirc":                                             "PyPI credentials",
}

// SecretCandidate reports whether a file's first bytes should be read to
// look for a private key (the layer reader asks; content is read for these
// few names only).
func SecretCandidate(p string, size int64) bool {
	if size > 1<<20 {
		return false
	}
	base := path.Base(p)
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519":
		return true
	}
	ext := path.Ext(base)
	return ext == ".pem" || ext == ".key" || ext == ".p8"
}

func dotenv(base string) bool {
	if base == ".env" || strings.HasSuffix(base, ".env") && len(base) > 4 {
		return true
	}
	rest, ok := strings.CutPrefix(base, ".env.")
	if !ok {
		return false
	}
	switch rest {
	case "example", "sample", "template", "dist", "defaults":
		return false
	}
	return true
}
