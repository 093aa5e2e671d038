echo $(echo $(echo deep))
echo `echo \`echo bq\``
