import ForgeVersioning
print("placeholder")
