true && echo yes
false && echo no
false || echo fallback
true || echo never
false && echo x || echo y
