case foo in
  f*)
    echo matched
    ;;
  *)
    echo no
esac
