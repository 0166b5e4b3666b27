_c8ydm_completion() {
    local IFS=$'\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \
                   COMP_CWORD=$COMP_CWORD \
                   _C8YDM_COMPLETE=complete_bash $1 ) )
    return 0
}

complete -o default -F _c8ydm_completion c8ydm
