#!/usr/bin/env bats
# Runs shellcheck on every shell script under images/ and tests/image/ (found by shebang or
# name, so a new script cannot slip past).

load lib/common

# shell_scripts: every file whose first line names sh, bash or bats, or named *.sh/.bash/.bats.
shell_scripts() {
	local f first
	while IFS= read -r -d '' f; do
		case $f in
		*.sh | *.bash | *.bats)
			echo "$f"
			continue
			;;
		esac
		IFS= read -r first <"$f" || true
		case $first in
		'#!'*/sh | '#!'*/bash | '#!'*'env sh' | '#!'*'env bash' | '#!'*'env bats' | '#!'*/sh\ * | '#!'*/bash\ *) echo "$f" ;;
		esac
	done < <(find "$IMAGE_DIR" "$TESTS_DIR" -type f -print0 | sort -z)
}

@test "every shell script passes shellcheck" {
	mapfile -t scripts < <(shell_scripts)
	printf "# %s\n" "${scripts[@]#"${IMAGE_DIR%/images/wordpress}/"}" >&3
	# The scripts the image and the tests depend on are among them.
	[[ " ${scripts[*]} " == *"/bin/wp-entrypoint "* ]]
	[[ " ${scripts[*]} " == *"/bin/wp-graceful-stop "* ]]
	[[ " ${scripts[*]} " == *"/refresh-base-digest.sh "* ]]
	[[ " ${scripts[*]} " == *"/run.sh "* ]]
	[[ " ${scripts[*]} " == *"/lib/common.bash "* ]]
	shellcheck --external-sources "${scripts[@]}"
}
