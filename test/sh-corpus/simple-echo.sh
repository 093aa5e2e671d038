echo hello world
echo 'single  quoted' "double  quoted"
