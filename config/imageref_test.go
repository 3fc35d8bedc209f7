// Tests of wordpress.imageReference, the prebuilt image deployed instead of the ACR build.
package config

import (
	"strings"
	"testing"
)

func TestValidateImageReference(t *testing.T) {
	const (
		key    = "wordpress.imageReference"
		msgRef = `must be a full image reference with its registry, pinned by digest (preferred) or tag, e.g. "myregistry.azurecr.io/wordpress@sha256:<64 hex>"`
	)
	digest := "@sha256:" + strings.Repeat("0123456789abcdef", 4)
	ref := func(v string) map[string]string {
		return map[string]string{"wordpress": `{"imageReference":"` + v + `"}`}
	}
	bad := func(v, msg string) Problems { return Problems{{Key: key, Value: v, Msg: msg}} }
	runProblemCases(t, []problemCase{
		{name: "acr by digest", set: ref("myregistry.azurecr.io/wordpress" + digest)},
		{name: "acr by tag", set: ref("myregistry.azurecr.io/wordpress:6.8-1")},
		{name: "tag and digest", set: ref("ghcr.io/example/wp/wordpress:6.8" + digest)},
		{name: "latest with a digest pins the digest", set: ref("ghcr.io/example/wordpress:latest" + digest)},
		{name: "registry with a port", set: ref("registry.example.com:5000/wordpress:1")},
		{name: "localhost registry", set: ref("localhost/wordpress:1")},
		{name: "docker hub spelt out", set: ref("docker.io/library/wordpress:6.8.3-php8.3-apache")},
		{name: "separators in the path", set: ref("ghcr.io/my-org/word__press.img:1")},
		{name: "no registry host", set: ref("library/wordpress" + digest),
			want: bad("library/wordpress"+digest, `must start with the registry host ("library" reads as a Docker Hub namespace), e.g. "docker.io/library/wordpress@sha256:<64 hex>"`)},
		{name: "bare name", set: ref("wordpress:6.8"), want: bad("wordpress:6.8", msgRef)},
		{name: "unpinned", set: ref("ghcr.io/example/wordpress"),
			want: bad("ghcr.io/example/wordpress", "must be pinned by digest (@sha256:<64 hex>) or tag; without either the nodes pull latest")},
		{name: "latest", set: ref("ghcr.io/example/wordpress:latest"),
			want: bad("ghcr.io/example/wordpress:latest", "must be pinned; latest moves under running pods")},
		{name: "short digest", set: ref("ghcr.io/example/wordpress@sha256:abc"), want: bad("ghcr.io/example/wordpress@sha256:abc", msgRef)},
		{name: "upper case repository", set: ref("ghcr.io/Example/wordpress:1"), want: bad("ghcr.io/Example/wordpress:1", msgRef)},
		{name: "scheme", set: ref("https://ghcr.io/example/wordpress:1"), want: bad("https://ghcr.io/example/wordpress:1", msgRef)},
		{name: "space", set: ref("ghcr.io/example/wordpress :1"), want: bad("ghcr.io/example/wordpress :1", msgRef)},
		{name: "with wordpress.image", set: map[string]string{"wordpress": `{"image":"wordpress:1","imageReference":"ghcr.io/example/wordpress:1"}`},
			want: bad("ghcr.io/example/wordpress:1", "must not be set together with wordpress.image (that one names an image in the stack's registry); keep one")},
	})
}
