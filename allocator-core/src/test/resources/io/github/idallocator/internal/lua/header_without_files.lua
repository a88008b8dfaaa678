-- needs:
return 1
