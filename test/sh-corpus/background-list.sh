echo fg; { sleep 0.05; echo bg; } & wait; echo end
