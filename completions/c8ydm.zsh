#compdef c8ydm

_c8ydm_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _C8YDM_COMPLETE=complete_zsh c8ydm)
}

compdef _c8ydm_completion c8ydm
