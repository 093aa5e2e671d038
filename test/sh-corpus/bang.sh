! true; echo $?
! false; echo $?
