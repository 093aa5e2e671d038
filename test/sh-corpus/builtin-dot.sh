echo 'sourced_var=42; echo in-source $1' > inc.sh; . ./inc.sh; echo $sourced_var
